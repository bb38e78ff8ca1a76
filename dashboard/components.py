"""Small layout pieces shared by the pages (no callbacks, no state)."""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

__all__ = ["graph", "records_table", "figure_cards", "need_run", "page_title", "headline_strip"]

# Longer tables go into one grid component: thousands of table cells as separate
# components freeze the browser while Dash mounts them.
GRID_ABOVE_ROWS = 25

GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d"],
                "toImageButtonOptions": {"format": "png", "scale": 2}}


def graph(figure, id=None, height: int | None = None, **kwargs) -> dcc.Graph:
    """A plotly figure with the dashboard's toolbar settings."""
    style = {"height": f"{height}px"} if height else None
    args = {"id": id} if id else {}
    return dcc.Graph(figure=figure, config=GRAPH_CONFIG, style=style, **args, **kwargs)


def records_table(records: list[dict], columns: list[str] | None = None, numeric: tuple = (),
                  headers: dict | None = None, id=None) -> html.Div:
    """A projector-readable table of records, numbers right-aligned; a grid when it is long."""
    if not records:
        return html.P("Nothing to show.", className="text-muted")
    columns = columns or list(records[0])
    headers = headers or {}
    args = {"id": id} if id else {}
    if len(records) > GRID_ABOVE_ROWS:
        defs = [{"field": c, "headerName": headers.get(c, c.replace("_", " ")), "filter": True,
                 **({"type": "rightAligned"} if c in numeric else {})} for c in columns]
        rows = [{c: "" if r.get(c) is None else str(r.get(c)) for c in columns} for r in records]
        return html.Div(dag.AgGrid(columnDefs=defs, rowData=rows, columnSize="autoSize",
                                   defaultColDef={"sortable": True, "resizable": True},
                                   style={"height": "420px"}, className="ag-theme-quartz a6-grid"), **args)
    head = html.Thead(html.Tr([html.Th(headers.get(c, c.replace("_", " ")),
                                       className="text-end" if c in numeric else None) for c in columns]))
    body = html.Tbody([html.Tr([html.Td("" if r.get(c) is None else str(r.get(c)),
                                        className="text-end" if c in numeric else None) for c in columns])
                       for r in records])
    return html.Div(dbc.Table([head, body], bordered=False, hover=True, striped=True, size="sm",
                              responsive=True, className="a6-table"), **args)


def figure_cards(items: list[dict]) -> dbc.Row:
    """Headline figures: ``[{'label': ..., 'value': ..., 'alert': bool}]`` as a row of cards;
    an alert card (tonnes claimed twice above zero) is drawn red so it stands out."""
    return dbc.Row([dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(i["label"], className="a6-card-label"),
        html.Div(i["value"], className="a6-card-value")]),
        className="a6-card-alert" if i.get("alert") else None, **({"id": f"card-{i['key']}"} if i.get("key") else {})),
        xs=6, md=4, lg=3, className="mb-3") for i in items], className="g-3")


def headline_strip(strip: dict) -> html.Div:
    """The strip at the top of every results page (:func:`views.headline.headline`)."""
    def column(title, items):
        return dbc.Col([html.Div(title, className="a6-strip-title"),
                        html.Ul(items or [html.Li("nothing", className="text-muted")], className="a6-strip-list")],
                       md=4)
    adjusted = [html.Li(t) for t in strip["adjusted"]]
    targets = [html.Li(t["text"], className={True: "a6-met", False: "a6-missed"}.get(t["met"]))
               for t in strip["targets"]]
    claimed = [html.Li(c["text"], className="a6-alert" if c["alert"] else None) for c in strip["claimed"]]
    return html.Div(dbc.Row([column("Adjusted", adjusted), column("Targets", targets),
                             column("Claimed twice", claimed)], className="g-2"),
                    className="a6-strip mb-3", id="headline-strip")


def need_run() -> dbc.Alert:
    """What a results page shows before the session has run anything."""
    return dbc.Alert(["No run yet in this session. ",
                      dcc.Link("Pick a scenario and run it", href="/"), "."], color="info")


def page_title(title: str, subtitle: str | None = None) -> html.Div:
    return html.Div([html.H2(title, className="a6-page-title"),
                     html.P(subtitle, className="a6-subtitle") if subtitle else None], className="mb-3")
