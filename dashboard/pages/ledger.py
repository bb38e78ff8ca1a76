"""Ledger page: every movement in a grid, filtered and sorted on the server, CSV download."""
from __future__ import annotations

from pathlib import Path

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, dcc, html
import dash_bootstrap_components as dbc

from ..components import need_run, page_title
from ..runs import RunStore, RunTables
from ..views.ledger import LEDGER_COLUMNS, filter_ledger, ledger_block
from . import results

__all__ = ["layout", "register"]


def layout(tables: RunTables | None, party: str | None):
    if tables is None:
        return need_run()
    n = len(tables.ledger)
    return html.Div([
        page_title("Ledger" + (f" · {tables.names.get(party, party)}" if party else ""),
                   f"Every movement of every block ({n:,} rows in this run), in whole tonnes as the registry "
                   "records them. Filter in the column headers; the download gives the rows that pass the filters."),
        results.strip(tables),
        dbc.Button("Download filtered rows (CSV)", id="ledger-csv-button", color="secondary", outline=True,
                   className="mb-2"),
        dcc.Download(id="ledger-csv"),
        dag.AgGrid(
            id="ledger-grid", columnDefs=LEDGER_COLUMNS, rowModelType="infinite",
            defaultColDef={"resizable": True, "sortable": True, "floatingFilter": True,
                           "filterParams": {"buttons": ["reset"], "maxNumConditions": 2}},
            dashGridOptions={"cacheBlockSize": 200, "maxBlocksInCache": 20, "rowBuffer": 10,
                             "infiniteInitialRowCount": min(n, 200), "animateRows": False},
            style={"height": "65vh"}, className="ag-theme-quartz a6-grid"),
    ])


def register(app: dash.Dash, store: RunStore) -> None:
    @app.callback(Output("ledger-grid", "getRowsResponse"), Input("ledger-grid", "getRowsRequest"),
                  State("current", "data"), State("party", "data"), prevent_initial_call=True)
    def _rows(request, current, party):
        tables = store.get(current)
        if tables is None or not request:
            raise dash.exceptions.PreventUpdate
        return ledger_block(tables.ledger, request, party)

    @app.callback(Output("ledger-csv", "data"), Input("ledger-csv-button", "n_clicks"),
                  State("ledger-grid", "filterModel"), State("current", "data"), State("party", "data"),
                  prevent_initial_call=True)
    def _csv(_, filter_model, current, party):
        tables = store.get(current)
        if tables is None:
            raise dash.exceptions.PreventUpdate
        rows = filter_ledger(tables.ledger, filter_model, party).copy()
        rows["date"] = rows["date"].dt.strftime("%Y-%m-%d")
        stem = Path(tables.file).stem or "scenario"
        return dcc.send_data_frame(rows.to_csv, f"{stem}-seed{tables.seed}-ledger.csv", index=False)
