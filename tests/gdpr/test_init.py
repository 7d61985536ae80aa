"""dq.gdpr's public names resolve, and its settings and policy load without pandas."""

from __future__ import annotations

import subprocess
import sys

import dq.gdpr


def test_all_names_resolve() -> None:
    for name in dq.gdpr.__all__:
        assert getattr(dq.gdpr, name) is not None, name


def test_settings_and_policy_import_no_pandas() -> None:
    code = (
        "import sys; import dq.gdpr.settings, dq.gdpr.policy; "
        "dq.gdpr.policy.load_policy(); print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
