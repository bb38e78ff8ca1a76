"""3/CMA.3 annex para 67(a): the share of proceeds for adaptation is 5% of the
A6.4ERs at issuance, a fixed rate (OMGE's 2% is a floor, "at least"). A file that
writes another `a64_sop_share` is refused with its location; 0.05 written out is
accepted.
"""
import pytest

import a6sim

TEXT = """a6sim: 1
name: share of proceeds
period: {start: 2021, end: 2022}
parties:
  GHA: {name: Ghana, emissions: {2021: 100}}
settings:
  a64_omge_share: 0.03
  a64_sop_share: {share}
"""


def test_other_share_of_proceeds_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "sop.yaml"
    path.write_text(TEXT.replace("{share}", "0.1"))
    with pytest.raises(a6sim.ScenarioError) as err:
        a6sim.load_scenario(path)
    message = str(err.value)
    assert "sop.yaml:8: settings.a64_sop_share: must be 0.05" in message
    assert "para 67(a)" in message


def test_five_percent_written_out_and_a_higher_omge_share_are_accepted(tmp_path):
    path = tmp_path / "sop.yaml"
    path.write_text(TEXT.replace("{share}", "0.05"))
    sc = a6sim.load_scenario(path)
    assert sc.model.settings.a64_sop_share == 0.05 and sc.model.settings.a64_omge_share == 0.03
