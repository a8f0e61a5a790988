"""bench/cluster.py: the throughput ratio the cores allow at the measured CPU per message."""

from __future__ import annotations

from bench.cluster import core_bound, render_cpu


def figures(cpu: dict, cores: dict) -> dict:
    return {"cpu_ms_per_message": cpu, "cores": cores}


SINGLE = figures(
    {"load generator": 1.0, "rasa": 30.0, "actions": 9.0, "other (rest of the machine)": 50.0},
    {"load generator": 0.03, "rasa": 0.99, "actions": 0.3, "other (rest of the machine)": 0.6},
)


def test_one_process_is_bounded_by_its_rasa_thread_the_cluster_by_all_cores():
    # cluster: 2 cores / 50 ms = 40 msg/s; one process: 1 core / 30 ms = 33.3 msg/s
    cluster = figures({"load generator": 1.0, "rasa": 36.0, "actions": 10.0, "nginx": 3.0}, {})
    assert core_bound(SINGLE, cluster, cores=2) == 1.2
    # a cluster as cheap per message as the one process's Rasa alone: twice its rate
    assert core_bound(SINGLE, figures({"rasa": 30.0}, {}), cores=2) == 2.0


def test_one_process_whose_other_processes_fill_the_second_core_is_bounded_by_both():
    heavy = figures({"rasa": 30.0, "actions": 40.0}, {})  # 2 cores / 70 ms = 28.6 msg/s
    assert core_bound(heavy, figures({"rasa": 70.0}, {}), cores=2) == 1.0


def test_other_work_on_the_machine_is_not_counted_as_the_set_ups():
    cluster = figures({"rasa": 40.0, "other (rest of the machine)": 400.0}, {})
    assert core_bound(SINGLE, cluster, cores=2) == 1.5


def test_without_cpu_figures_nothing_is_claimed():
    assert core_bound({}, SINGLE, cores=2) is None
    result = {"single": {}, "cluster": SINGLE, "machine": {"nproc": 2}}
    assert render_cpu(result) == []


def test_the_table_lists_every_process_of_both_set_ups():
    cluster = figures(
        {"rasa": 36.0, "nginx": 2.0, "other (rest of the machine)": 10.0},
        {"rasa": 1.6, "nginx": 0.1, "other (rest of the machine)": 0.3},
    )
    text = "\n".join(render_cpu({"single": SINGLE, "cluster": cluster, "machine": {"nproc": 2}}))
    assert "| nginx | - | - | 2 | 0.1 |" in text
    assert "| actions | 9 | 0.3 | - | - |" in text
    assert "**all of the set-up** | 40.0 | 1.32 | 38.0 | 1.70 |" in text
    assert "**1.58x**" in text  # 2 cores / 38 ms against 1 core / 30 ms
