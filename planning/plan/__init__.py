"""The plan that outlives the workshop: what a project manager takes over, and what vendors are handed.

- `actions`: actions of chosen initiatives (owner, start or duration, due date, milestone, status).
- `dependencies`: finish-to-start links between actions: no loops, no start before what an action waits
  for is due (a dependency moved later afterwards is kept and flagged by `schedule`).
- `process`: process value maps: the ordered steps of a workflow, judged by their value to the customer.
- `schedule`: the critical path and the overdue work, computed from the actions' dates and dependencies.
- `mspdi`: the plan as Microsoft Project XML (MS Project, ProjectLibre, GanttProject open it).
- `files`: the plan's downloads: MSPDI, a CSV for Jira's and Asana's importers, the .ics, the process book.
- `book`: the process book, one HTML or PDF document a buyer hands to software vendors.

Nothing here imports Streamlit; `ui/plan.py` draws it.
"""
