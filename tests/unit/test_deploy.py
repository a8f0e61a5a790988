"""deploy/ checked offline: every Kubernetes manifest against the bundled Kubernetes
1.28 schemas (kubernetes-validate, strict: unknown fields fail), yamllint on all of
deploy/, and the wiring the README promises (probes, requests, secrets, affinity).
No cluster is used; what that leaves unchecked is listed in deploy/README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import kubernetes_validate
import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from tests.helpers import ROOT

DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"


def documents() -> List[Dict]:
    docs = []
    for path in sorted(KUBERNETES.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return docs


def by_kind(kind: str) -> Dict[str, Dict]:
    return {d["metadata"]["name"]: d for d in documents() if d["kind"] == kind}


@pytest.mark.parametrize("doc", documents(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_manifest_matches_the_kubernetes_schema(doc):
    kubernetes_validate.validate(doc, "1.28.0", strict=True)


def test_an_invalid_manifest_is_caught():
    broken = by_kind("Deployment")["rasa"]
    broken = yaml.safe_load(yaml.safe_dump(broken))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, "1.28.0", strict=True)


def test_yamllint_passes_on_deploy():
    config = YamlLintConfig(file=str(DEPLOY / "yamllint.yml"))
    problems = []
    for path in sorted(DEPLOY.rglob("*.yaml")) + sorted(DEPLOY.rglob("*.yml")):
        for problem in linter.run(path.read_text(encoding="utf-8"), config, str(path)):
            problems.append(f"{path.relative_to(ROOT)}:{problem.line}: {problem.message}")
    assert not problems, problems


def test_kustomization_lists_every_manifest():
    listed = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())["resources"]
    present = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(listed) == present


def test_deployments_have_probes_requests_and_secret_references():
    for name, deployment in by_kind("Deployment").items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert container["readinessProbe"] and container["livenessProbe"], name
            assert container["resources"]["requests"]["cpu"], name
            secrets = [e for e in container["env"] if "secretKeyRef" in e.get("valueFrom", {})]
            assert secrets, name
            assert not any("change-me" in str(e.get("value", "")) for e in container["env"])


def test_socketio_ingress_has_cookie_affinity_and_the_purge_runs_nightly():
    ingresses = by_kind("Ingress")
    sticky = [i for i in ingresses.values() if "/socket.io" in str(i["spec"])]
    assert sticky and all(
        i["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
        for i in sticky
    )
    [cron] = by_kind("CronJob").values()
    container = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][-3:] == ["purge", "--older-than", "90d"]


def test_rasa_replicas_use_the_scaled_endpoints_with_bounded_pools():
    rasa = by_kind("Deployment")["rasa"]["spec"]["template"]["spec"]
    args = rasa["containers"][0]["args"]
    assert args[args.index("--endpoints") + 1] == "endpoints.scaled.yml"
    assert (ROOT / "endpoints.scaled.yml").exists()
    env = {e["name"]: e.get("value") for e in rasa["containers"][0]["env"]}
    replicas = by_kind("Deployment")["rasa"]["spec"]["replicas"]
    assert replicas * (int(env["POSTGRESQL_POOL_SIZE"]) + int(env["POSTGRESQL_MAX_OVERFLOW"])) < 100
    assert rasa["initContainers"][0]["command"][:3] == ["python", "-m", "rasa_addons.tracker_store"]


def test_systemd_unit_runs_cluster_sh():
    unit = (DEPLOY / "systemd" / "career-quiz-cluster.service").read_text()
    assert "ExecStart=/opt/career-quiz/scripts/cluster.sh" in unit
    assert (ROOT / "scripts" / "cluster.sh").exists()
    assert Path(ROOT / "scripts" / "cluster.sh").stat().st_mode & 0o111
