"""The gtm-metrics command's options, help text and exit codes."""

from __future__ import annotations

import contextlib
import io

import pytest

from gtm_metrics.cli import build_parser, main

COMMANDS = ("map", "load", "build", "validate", "export", "run")


def run_command(*args) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            exit_code = main([str(arg) for arg in args])
        except SystemExit as error:
            exit_code = error.code
    return exit_code, stdout.getvalue(), stderr.getvalue()


def help_text(*args) -> str:
    exit_code, stdout, _ = run_command(*args, "--help")
    assert exit_code == 0
    return stdout


def test_top_level_help_lists_commands_and_exit_codes():
    text = help_text()
    for command in COMMANDS:
        assert command in text
    for code in ("0  success", "1  checks failed", "2  usage or input error"):
        assert code in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_documented(command):
    parser = build_parser()
    subparser = parser._subparsers._group_actions[0].choices[command]
    text = help_text(command)
    assert "exit codes:" in text
    for action in subparser._actions:
        assert action.help, f"{command} {action.dest} has no help text"
        for option in action.option_strings:
            assert option in text


def test_run_help_shows_outputs_and_examples():
    text = help_text("run")
    assert "--mapping" in text
    assert "quarantine.csv" in text
    assert "gtm-metrics run exports/ --mapping my_crm.yml" in text


def test_unknown_option_is_a_usage_error():
    exit_code, _, stderr = run_command("run", "--no-such-option")
    assert exit_code == 2
    assert "unrecognized arguments" in stderr


def test_mapping_without_folder_is_rejected(tmp_path):
    exit_code, _, stderr = run_command("run", "--mapping", "olist_marketing_funnel", "--output-dir", tmp_path)
    assert exit_code == 2
    assert "--mapping needs the folder of exports" in stderr


def test_adapter_with_folder_is_rejected(tmp_path):
    exit_code, _, stderr = run_command("run", tmp_path, "--input-source", "salesforce", "--output-dir", tmp_path)
    assert exit_code == 2
    assert "takes no folder" in stderr


def test_validate_without_database_is_an_input_error(tmp_path):
    exit_code, _, stderr = run_command("validate", "--database", tmp_path / "gtm.duckdb", "--output-dir", tmp_path)
    assert exit_code == 2
    assert "database not found" in stderr


def test_export_without_database_is_an_input_error(tmp_path):
    exit_code, _, stderr = run_command("export", "--database", tmp_path / "none.duckdb", "--output-dir", tmp_path)
    assert exit_code == 2
    assert "database not found" in stderr


def test_export_rejects_unknown_format(tmp_path):
    (tmp_path / "gtm.duckdb").touch()
    exit_code, _, stderr = run_command(
        "export", "--database", tmp_path / "gtm.duckdb", "--output-dir", tmp_path, "--format", "xlsx"
    )
    assert exit_code == 2
    assert "unknown export format" in stderr
