# SPDX-License-Identifier: GPL-3.0-or-later
"""The filter as a play calls it: over real hostvars of an inventory, bad input one AnsibleFilterError line."""

import pytest

from ansible.errors import AnsibleFilterError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager

from ansible_collections.twilio_community.serverless.plugins.filter.fleet_report import FilterModule


def test_the_filter_reads_hostvars(tmp_path):
    inventory_file = tmp_path / "fleet.yml"
    inventory_file.write_text("all:\n  hosts:\n    a_ivr: {twilio_subaccount_sid: AC" + "1" * 32
                              + ", twilio_service: ivr}\n    b_ivr: {twilio_service: ivr}\n")
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[str(inventory_file)])
    variables = VariableManager(loader=loader, inventory=inventory)
    variables.set_host_facts("a_ivr", {"release_report": {"complete": True, "service_sid": "ZS" + "1" * 32,
                                                          "environments": [{"environment": "production",
                                                                            "source_sha256": "f" * 64}]}})
    hostvars = HostVars(inventory=inventory, variable_manager=variables, loader=loader)
    report = FilterModule().filters()["fleet_report"](hostvars, ["a_ivr", "b_ivr"])
    assert [(r["host"], r["account_sid"], r["environment"], r["failed"]) for r in report["rows"]] == [
        ("a_ivr", "AC" + "1" * 32, "production", False), ("b_ivr", None, None, True)]
    assert report["summary"]["sources"] == {"f" * 64: ["a_ivr"]} and report["summary"]["unknown_source"] == ["b_ivr"]


def test_bad_input_is_one_filter_error():
    with pytest.raises(AnsibleFilterError) as caught:
        FilterModule().filters()["fleet_report"](42)
    assert "fleet_report: expected hostvars" in str(caught.value)
