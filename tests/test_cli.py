import json
import subprocess
import sys

from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.ensemble._io import open_ensemble

runner = CliRunner()


def test_run_writes_ensemble_and_summary(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "tiny", "--draws", "300", "--seed", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "P(manpower crisis within 12 months)" in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["draws"] == 300 and summary["seed"] == 4
    ds = open_ensemble(out / "ensemble.nc")
    assert ds.sizes["draw"] == 300 and "active" in ds
    assert ds.attrs["scenario_sha256"] == summary["scenario_sha256"]
    assert sorted(p.name for p in out.iterdir()) == ["ensemble.nc", "summary.json"]


def test_run_json_matches_the_summary_file(tmp_path):
    out = tmp_path / "o"
    result = runner.invoke(app, ["run", "tiny", "--draws", "50", "--json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads((out / "summary.json").read_text())


def test_run_is_reproducible_and_set_changes_it(tmp_path):
    def run(*extra):
        result = runner.invoke(
            app, ["run", "tiny", "--draws", "80", "--json", "-o", str(tmp_path / "x"), *extra]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)  # a stiff --set warns on stderr

    first, again = run(), run()
    assert first == again
    changed = run("--set", "combat.lethality.blue=0.2")
    assert changed["sides"]["red"]["active_final"] != first["sides"]["red"]["active_final"]


def test_save_summary_keeps_no_trajectories(tmp_path):
    out = tmp_path / "s"
    result = runner.invoke(
        app, ["run", "tiny", "--draws", "60", "--save", "summary", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    ds = open_ensemble(out / "ensemble.nc")
    assert "active" not in ds and "active_final" in ds


def test_default_output_folder_is_named_after_the_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", "tiny", "--draws", "20"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "tiny.n20" / "summary.json").is_file()


def test_validate_reports_what_the_scenario_holds():
    result = runner.invoke(app, ["validate", "russia-ukraine-2024-11"])
    assert result.exit_code == 0, result.output
    assert "valid scenario 'russia-ukraine-2024-11'" in result.output
    assert "2 sides, 6 channels" in result.output


def test_schema_is_json():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Scenario"


def test_presets_lists_the_default():
    result = runner.invoke(app, ["presets"])
    assert "russia-ukraine-2024-11:" in result.output


def test_console_script_runs_end_to_end(tmp_path):
    """The installed command, as a user types it."""
    out = tmp_path / "e2e"
    done = subprocess.run(
        [sys.executable, "-m", "ceasefire.cli", "run", "--draws", "200", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "russia" in done.stdout and "ukraine" in done.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "russia-ukraine-2024-11"
    assert summary["horizon_months"] == 36
    assert set(summary["sides"]["russia"]["p_crisis"]) == {"12", "24", "36"}
