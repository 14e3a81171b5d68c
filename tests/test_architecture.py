"""Conventions the code keeps, checked: layering, one test file per view, README and CI in step."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_planning_never_imports_streamlit_ui_or_views():
    offenders = {str(p.relative_to(ROOT)): _imports(p) & {"streamlit", "ui", "views"}
                 for p in (ROOT / "planning").rglob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_every_view_is_routed_by_app_and_has_its_tests():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    for view in (ROOT / "views").glob("*.py"):
        assert f'"views/{view.name}"' in app, f"{view.name} is not in app.py's st.navigation"
        assert (ROOT / "tests" / "views" / f"test_{view.name}").exists(), f"no tests/views/test_{view.name}"


def test_no_pages_folder_that_streamlit_would_serve_without_app_py():
    assert not (ROOT / "pages").exists()


def test_the_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"## Test\s+```\s*\n(.+?)\n```", readme).group(1).strip()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert command in ci_lines


def test_the_readme_run_command_installs_and_starts_the_app():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"## Run\s+```\s*\n(.+?)\n```", readme).group(1).strip()
    assert command == "pip install -r requirements.txt && streamlit run server.py"


def test_the_server_serves_the_live_stream_the_pages_listen_to():
    from ui import live

    server = (ROOT / "server.py").read_text(encoding="utf-8")
    assert f'LIVE_ROUTE = "{live.ROUTE}"' in server


def test_no_screen_lets_html_through():
    for path in [*ROOT.glob("views/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]:
        source = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in source and "unsafe_allow_javascript" not in source, path.name
        assert "st.components.v1" not in source, path.name  # the only scripts are ui/live.py's and ui/clock.py's
