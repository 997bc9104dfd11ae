"""The demo's sample set is chosen in one place: Vĩnh Long 2024–2025 by default, Trà Vinh
2022–2023 with `--province 84`."""

from __future__ import annotations

from antt.cli import main
from antt.local_airflow import demo


def test_default_is_today_s_vinh_long_and_84_keeps_tra_vinh(antt_home, monkeypatch):
    calls = []

    def fake_generate(out_dir, province, years):
        calls.append((out_dir.name, province, years))
        out_dir.mkdir(parents=True)
        (out_dir / "manifest.json").write_text("{}")

    monkeypatch.setattr("antt.sample.generate", fake_generate)
    for province in (demo.DEFAULT_PROVINCE, "84"):
        folder = demo.sample_dir(province)
        assert demo.ensure_sample(folder, province) == folder
        assert (folder / "manifest.json").is_file()
    assert calls == [("sample-86.tmp", "86", (2024, 2025)), ("sample-84.tmp", "84", (2022, 2023))]
    # Generated once: a second call finds the manifest.
    demo.ensure_sample(demo.sample_dir("84"), "84")
    assert len(calls) == 2


def test_an_unknown_demo_province_fails_before_any_worker_starts(antt_home, monkeypatch, capsys):
    def no_worker(**kwargs):
        raise AssertionError("the worker must not start")

    monkeypatch.setattr("antt.local_airflow.supervise.supervise_demo", no_worker)
    assert main(["demo", "--province", "83"]) == 1
    err = capsys.readouterr().err
    assert "no demo set for province 83" in err and "86 (2024–2025)" in err


def test_the_worker_gets_the_province(monkeypatch):
    from antt.local_airflow import supervise

    seen = {}

    def fake_run(cmd, env):
        seen["cmd"] = cmd
        return supervise.Supervised(returncode=0, signal=None)

    monkeypatch.setattr(supervise, "run_supervised", fake_run)
    assert supervise.supervise_demo(verbose=False, err_console=None, province="84") == 0
    assert seen["cmd"][-2:] == ["--province", "84"]
