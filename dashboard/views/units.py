"""Where every issued tonne ends up: categories of accounts and the Sankey diagram."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import COLOURS, new_figure, no_data_figure, quantity

__all__ = ["account_category", "unit_destinations", "sankey_figure",
           "CATEGORIES", "ISSUED_STAGE", "TRANSFERRED_STAGE"]

#: Categories reached straight from issuance (besides "Transferred").
ISSUED_STAGE = ("Adaptation Fund", "Host adaptation", "OMGE cancelled", "Buffer pool",
                "Reversal cancelled", "Held at activity")
#: Categories of units that left the activity's account for a holder.
TRANSFERRED_STAGE = ("Used for NDC", "Used for OIMP", "Voluntarily cancelled", "Held by buyers")
CATEGORIES = ISSUED_STAGE + TRANSFERRED_STAGE

_KIND = {  # account kind (the part after the registry) -> category
    "holding": "Held by buyers",
    "ndc-use": "Used for NDC",
    "oimp-use": "Used for OIMP",
    "voluntary-cancellation": "Voluntarily cancelled",
    "omge-cancellation": "OMGE cancelled",
    "host-adaptation": "Host adaptation",
    "adaptation-fund": "Adaptation Fund",
    "buffer": "Buffer pool",
    "reversal-cancellation": "Reversal cancelled",
}


def account_category(account: str) -> str:
    """Category of an account id ``{registry}:{name}`` (docs/how-a6sim-counts.md, Accounts).

    ``GHA:activity:x`` -> "Held at activity"; ``SGP:entity:airline-x`` -> "Held by
    buyers"; ``SGP:entity:airline-x:oimp-use`` -> "Used for OIMP"; ``CHE:ndc-use`` ->
    "Used for NDC"; ``A6.4:adaptation-fund`` -> "Adaptation Fund"; a party's own
    ``holding`` counts as held by buyers. Raises ValueError for an unknown kind.
    """
    parts = str(account).split(":")
    if len(parts) >= 3 and parts[1] == "activity":
        return "Held at activity"
    if len(parts) >= 3 and parts[1] == "entity":
        kind = ":".join(parts[3:]) or "holding"
    else:
        kind = ":".join(parts[1:])
    try:
        return _KIND[kind]
    except KeyError:
        raise ValueError(f"unknown account kind: {account!r}") from None


def unit_destinations(ledger: pd.DataFrame, host: str | None = None) -> pd.DataFrame:
    """Final location of every issued tonne, by category (all of :data:`CATEGORIES`, in
    that order, zeros included): net inflow per account over the ledger (+quantity on
    ``to_account``, -quantity on ``from_account``; issuance rows have no
    ``from_account``), so the quantities sum to the tonnes issued. ``host`` keeps only
    the units hosted by that party."""
    empty = pd.DataFrame({"category": list(CATEGORIES), "quantity": [0] * len(CATEGORIES)})
    if ledger is None or ledger.empty:
        return empty
    df = ledger if host is None else ledger[ledger["host"] == host]
    if df.empty:
        return empty
    qty = df["quantity"].astype("int64")
    inflow = qty.groupby(df["to_account"]).sum()
    src = df["from_account"]
    has_src = src.notna() & (src.astype(object) != "")
    outflow = qty[has_src].groupby(src[has_src]).sum()
    net = inflow.sub(outflow, fill_value=0).astype("int64")
    by_cat = net.groupby(net.index.map(account_category)).sum()
    return pd.DataFrame({"category": list(CATEGORIES),
                         "quantity": [int(by_cat.get(c, 0)) for c in CATEGORIES]}).astype({"quantity": "int64"})


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def sankey_figure(destinations: pd.DataFrame, title: str = "Where the issued units are",
                  units: str = "tCO2e") -> go.Figure:
    """Two stages: "Issued" -> Adaptation Fund, Host adaptation, OMGE cancelled, Buffer
    pool, Reversal cancelled, Held at activity, Transferred; "Transferred" -> Used for
    NDC, Used for OIMP, Voluntarily cancelled, Held by buyers. Zero links (and their
    nodes) are left out; node labels carry the quantities, in the scenario's ``units``."""
    if destinations is None or destinations.empty:
        return no_data_figure(title, "sankey")
    q = {c: int(v) for c, v in destinations.groupby("category")["quantity"].sum().items()}
    transferred = sum(q.get(c, 0) for c in TRANSFERRED_STAGE)
    issued = sum(q.get(c, 0) for c in ISSUED_STAGE) + transferred
    if issued <= 0:
        return no_data_figure(title, "sankey")
    flows = [("Issued", c, q.get(c, 0)) for c in ISSUED_STAGE]
    flows.append(("Issued", "Transferred", transferred))
    flows += [("Transferred", c, q.get(c, 0)) for c in TRANSFERRED_STAGE]
    flows = [f for f in flows if f[2] > 0]
    totals = {"Issued": issued, **{t: v for _, t, v in flows}}
    nodes = list(totals)
    index = {n: i for i, n in enumerate(nodes)}
    fig = new_figure(title, uirevision="sankey")
    fig.add_trace(go.Sankey(
        arrangement="snap",
        valueformat=",d", valuesuffix=" t",
        node=dict(label=[f"{n}: {quantity(totals[n], units)}" for n in nodes],
                  color=[COLOURS[n] for n in nodes], pad=24, thickness=26,
                  line=dict(color="white", width=1),
                  customdata=nodes, hovertemplate="%{customdata}: %{value} <extra></extra>"),
        link=dict(source=[index[s] for s, _, _ in flows], target=[index[t] for _, t, _ in flows],
                  value=[v for *_, v in flows], color=[_rgba(COLOURS[t], 0.45) for _, t, _ in flows],
                  hovertemplate="%{source.customdata} -> %{target.customdata}: %{value}<extra></extra>"),
    ))
    return fig
