"""Replay recorded history into a registry: authorisations, issuances, transactions.

The same code serves the checks (a dry replay in a scratch registry that locates
every impossible row) and the engine (the replay in the run's registry, where it
shares the ledger with the modelled activities and agreements).

Rules (docs/how-a6sim-counts.md, "Recorded history"):

* An authorisation takes effect on its date, or on the host's initial report if that
  is later (2/CMA.3 annex para 18). Units of the blocks that name it become ITMOs
  then (``authorization`` row); with an OIMP definition ``authorisation`` or
  ``issuance`` they are first-transferred on that row (para 2).
* A transfer whose destination is another party's registry (a party, or an entity
  abroad) is an international transfer: the first one of an authorised unit is its
  first transfer (``first-transfer``, the host's addition, para 8(a)); later ones are
  ``transfer`` and add nothing. The receiving side gets an ``acquisition`` row.
* A use towards an NDC needs units authorised for NDC use with a vintage in the
  user's NDC period; an OIMP use an OIMP authorisation. Uses and cancellations
  first-transfer units whose definition is ``use-or-cancellation``.
"""
from __future__ import annotations

from typing import Callable, Optional

from ..registry.blocks import Status
from ..registry.first_transfer import first_transfer_due, own_units_refusal
from ..registry.registry import lot_order
from .book import USE_KINDS, Book, authorisation_date
from .serials import parse_serials

__all__ = ["Replayer", "HistoryError"]

_INF = float("inf")


class HistoryError(Exception):
    """A row of the recorded history that cannot have happened: ``(path, message)``."""

    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path, self.message = path, message


def _ndc_years(party) -> Optional[tuple[int, int]]:
    """First and last year over a party's NDC period(s) (None without an NDC)."""
    from ..accounting.ndc import party_ndcs
    periods = [n.period for n in party_ndcs(party)]
    if not periods:
        return None
    return min(p[0] for p in periods), max(p[1] for p in periods)


class Replayer:
    """Applies the steps of a :class:`Book` to a registry.

    ``on_first_transfer(host, vintage, quantity, oimp)`` and ``on_ndc_use(party, year,
    quantity)`` keep the engine's running figures; ``on_violation(kind, reason, date,
    **where)`` records a refused or delayed action (para 18).
    """

    def __init__(self, book: Book, reg, *, ndc_and_oimp: str = "earliest",
                 on_first_transfer: Optional[Callable] = None, on_ndc_use: Optional[Callable] = None,
                 on_violation: Optional[Callable] = None):
        self.book, self.reg, self.m = book, reg, book.model
        self.ndc_and_oimp = ndc_and_oimp
        self.on_first_transfer = on_first_transfer or (lambda *a, **k: None)
        self.on_ndc_use = on_ndc_use or (lambda *a, **k: None)
        self.on_violation = on_violation or (lambda *a, **k: None)
        self.active: dict[str, Status] = {}          # authorisation id -> status of its ITMOs
        for holder in book.holders():
            book.open_accounts(reg, holder)
        for p in self.m.parties:
            book.open_accounts(reg, p)
        self.ndc_years = {p: _ndc_years(party) for p, party in self.m.parties.items()}
        from ..accounting.ndc import party_ndcs
        self.ndc_periods = {p: [tuple(n.period) for n in party_ndcs(party)] or None
                            for p, party in self.m.parties.items()}
        # the project keys of each project and programme, for a select that names one
        self.keys_of_project: dict[str, list[str]] = {}
        self.keys_of_programme: dict[str, list[str]] = {}
        for key, (programme, project) in book.projects.items():
            self.keys_of_project.setdefault(project, []).append(key)
            self.keys_of_programme.setdefault(programme, []).append(key)
        # the (project key, vintage) of the blocks issued under each authorisation
        pairs: dict[str, set] = {}
        for iss, b in zip(self.m.issuances, book.blocks):
            if iss.authorisation is not None:
                pairs.setdefault(iss.authorisation, set()).add((b.activity, b.vintage))
        self.blocks_of_authorisation = {aid: sorted(p) for aid, p in pairs.items()}

    # --- steps ------------------------------------------------------------------------
    def step(self, day: int, rank: int, ref) -> None:
        """Apply one step; raises :class:`HistoryError` for an impossible row."""
        if rank == 0:
            self.authorise(day, ref)
        elif rank == 1:
            self.issue(day, ref)
        else:
            self.transact(day, ref)

    def authorise(self, day: int, aid: str) -> None:
        a = self.m.authorisations[aid]
        rule = a.first_transfer or "international-transfer"
        self.active[aid] = Status("ITMO", aid, a.purpose, rule, False)
        report = self.m.parties[a.host].initial_report if a.host in self.m.parties else None
        if report is not None and report > authorisation_date(a.date):
            self.on_violation("authorisation-before-initial-report",
                              f"{a.host} may not authorise before its initial report ({report}); authorisation "
                              f"{aid} takes effect on {report} (2/CMA.3 annex para 18)",
                              authorisation_date(a.date), party=a.host, agreement=aid)
        for account, lot in self._waiting(aid):
            self._authorise_lot(day, lot, account, aid)

    def _waiting(self, aid: str) -> list:
        """The lots issued under ``aid`` before it took effect, still in holding accounts:
        ``(account, lot)`` in the order of :meth:`Registry.find` (accounts as opened,
        then lot order). Only recorded issuances name a recorded authorisation (the
        checks refuse an id shared with an agreement or activity), so only the lots of
        their projects and vintages are looked at, in each account's index, instead of
        every lot of the registry."""
        reg, pairs = self.reg, self.blocks_of_authorisation.get(aid, ())
        out = []
        if not pairs:
            return out
        for account, acc in reg.accounts.items():   # opening order, as Registry.find
            if acc.kind != "holding":
                continue
            lots, idx = reg.lots[account], reg.watch(account)
            keys = [k for a, v in pairs for k in idx.in_order((a,), v)]
            keys.sort(key=lot_order)   # as Registry.lots_in
            for k in keys:
                lot = lots[k]
                if lot.status.agreement == aid and lot.status.purpose is None:
                    out.append((account, lot))
        return out

    def _authorise_lot(self, day: int, lot, account: str, aid: str) -> None:
        """Authorise a recorded lot where it is held (``authorization`` row).

        The row is also the units' first transfer (para 2) with an OIMP definition
        ``authorisation`` or ``issuance``, and when units authorised for NDC use (or
        ``NDC and OIMP`` read ``earliest``) are already held abroad: they crossed as
        mitigation outcomes before the authorisation took effect (an earlier transfer,
        or the host's initial report delaying the authorisation), so their first
        international transfer as ITMOs is now, and the host adds them (para 8(a)).
        Otherwise the buyer could use them towards its NDC with no addition by anyone.
        """
        status = self.active[aid]
        oimp = status.first_transfer in ("authorisation", "issuance")
        registry = self.reg.accounts[account].registry
        abroad = registry != lot.block.host and registry not in self.book.programmes
        ft = oimp or (abroad and first_transfer_due(status, "international-transfer", self.ndc_and_oimp))
        if ft:
            status = status._replace(first_transferred=True)
        self.reg.move(day, lot, account, account, lot.quantity, "authorization", status=status,
                      purpose=status.purpose, first_transfer=ft)
        if ft:
            self.on_first_transfer(lot.block.host, lot.block.vintage, lot.quantity, oimp)

    def issue(self, day: int, i: int) -> None:
        iss, b = self.m.issuances[i], self.book.blocks[i]
        account = self.book.holding(iss.holder or iss.programme)
        unit_type = "A6.4ER" if iss.programme == "A6.4" else "MO"
        lot = self.reg.issue(day, iss.host, b.activity, b.vintage, b.quantity, account,
                             Status(unit_type, iss.authorisation))
        if iss.authorisation in self.active:
            self._authorise_lot(day, lot, account, iss.authorisation)

    # --- transactions -------------------------------------------------------------------
    def transact(self, day: int, i: int) -> None:
        t, book, path = self.m.transactions[i], self.book, ("transactions", i)
        q = book.tonnes(t.quantity)
        if t.action == "transfer":
            src, dest = book.holding(t.from_holder), book.holding(t.to)
            who = t.from_holder
        else:
            who = t.holder
            src = book.holding(who)
            purpose = self._use_purpose(t)
            dest = book.use_account(who, USE_KINDS[purpose if t.action == "use" else t.action])
        picked = self._pick(day, src, t, q, path)
        if t.action == "use":
            for lot, _q in picked:
                why = self._refusal(who, purpose, lot, day, t.use_year)
                if why:
                    raise HistoryError(path + ("purpose",), why)
            if purpose == "NDC":
                self._use_before_report(day, who, q, i)
        for lot, take in picked:
            if t.action == "transfer":
                self._transfer(day, lot, src, dest, take)
            else:
                self._use(day, lot, src, dest, take, t, who)

    def _use_before_report(self, day: int, who: str, q: int, i: int) -> None:
        """A recorded use towards an NDC before the user's initial report (2/CMA.3 annex
        para 18 applies to every participating Party) is listed in ``violations``, as a
        modelled use due then is; the record stands as it happened (its date and use year)."""
        report = self.m.parties[who].initial_report
        date = self.book.cal.date_of(day)
        if report is not None and date < report:
            self.on_violation("use-before-initial-report",
                              f"{who} uses ITMOs on {date}, before its initial report ({report}); recorded "
                              f"as it happened (transactions[{i}]; 2/CMA.3 annex para 18)",
                              date, party=who, quantity=q)

    def _use_purpose(self, t) -> str:
        if t.purpose:
            return t.purpose
        return "NDC" if t.holder in self.m.parties else "OIMP"

    def _transfer(self, day, lot, src, dest, q) -> None:
        reg, b = self.reg, lot.block
        to_registry = reg.accounts[dest].registry
        international = to_registry != b.host and to_registry not in self.book.programmes
        status = lot.status
        ft = international and first_transfer_due(status, "international-transfer", self.ndc_and_oimp)
        if ft:
            status = status._replace(first_transferred=True)
        moved = reg.move(day, lot, src, dest, q, "first-transfer" if ft else "transfer", status=status,
                         purpose=status.purpose, first_transfer=ft)
        if ft:
            self.on_first_transfer(b.host, b.vintage, q, False)
        if reg.accounts[src].registry != to_registry:
            reg.move(day, moved, dest, dest, q, "acquisition", purpose=status.purpose)

    def _use(self, day, lot, src, dest, q, t, who) -> None:
        reg, b = self.reg, lot.block
        status = lot.status
        ft = first_transfer_due(status, "use-or-cancellation", self.ndc_and_oimp)
        if ft:
            status = status._replace(first_transferred=True)
        kind = reg.accounts[dest].kind
        use_year = None
        if kind == "ndc-use":
            use_year = t.use_year if t.use_year is not None else self.book.cal.year_of(day)
        action = {"ndc-use": "use", "oimp-use": "use", "omge-cancellation": "cancellation"}.get(
            kind, "voluntary-cancellation")
        purpose = {"ndc-use": "NDC", "oimp-use": "OIMP", "omge-cancellation": "OMGE"}.get(kind, "voluntary")
        reg.move(day, lot, src, dest, q, action, status=status, purpose=purpose, first_transfer=ft,
                 use_year=use_year)
        if ft:
            self.on_first_transfer(b.host, b.vintage, q, True)
        if kind == "ndc-use":
            from ..accounting.ndc import accounting_year   # a use after the period: its last year
            self.on_ndc_use(who, accounting_year(self.ndc_periods.get(who), use_year), q)

    def _vintage_refusal(self, who: str, vintage: int, block: str, year: int) -> Optional[str]:
        """Units used towards an NDC must have a vintage in the NDC period the use counts for
        (the period of its use year, or for a use after a period the one just ended;
        docs/how-a6sim-counts.md, "Successive NDCs"), as for a modelled use. A vintage of
        another of the user's periods is allowed with ``settings.other_period_vintages:
        allow``; a vintage in none of them never is."""
        from ..accounting.ndc import accounting_year   # (accounting imports history)
        periods = self.ndc_periods[who]   # a party with an NDC (checked by the caller)
        counts = accounting_year(periods, year)
        period = next(((a, z) for a, z in periods if a <= counts <= z), None)
        if period is not None and period[0] <= vintage <= period[1]:
            return None
        other = next(((a, z) for a, z in periods if a <= vintage <= z), None)
        if other is not None and period is not None and self.m.settings.other_period_vintages == "allow":
            return None
        shown = period or self.ndc_years[who]
        why = f"units {block} have vintage {vintage}, outside {who}'s NDC period {shown[0]}-{shown[1]}"
        if other is not None and period is not None:
            why += (f" that a use of {year} counts for (the vintage belongs to its NDC period {other[0]}-{other[1]}; "
                    "settings.other_period_vintages: allow permits this)")
        return why

    def _refusal(self, who: str, purpose: str, lot, day: int, use_year: Optional[int] = None) -> Optional[str]:
        s, b = lot.status, lot.block
        date = self.book.cal.date_of(day)
        block = self.book.external(b.activity, b.vintage, b.first, b.last) or f"{b.activity} vintage {b.vintage}"
        if purpose == "NDC":
            if who not in self.m.parties:
                return f"{who} is not a party; only a party uses units towards an NDC (purpose: OIMP)"
            years = self.ndc_years[who]
            if years is None:
                return f"{who} has no ndc to use units towards"
            if s.purpose not in ("NDC", "NDC and OIMP"):
                what = f"authorised for {s.purpose} only" if s.purpose else f"not authorised on {date}"
                return f"units {block} are {what}, not for use towards an NDC (2/CMA.3 annex paras 1-2)"
            if b.host == who and not s.first_transferred:
                return f"units {block}: " + own_units_refusal(who)
            return self._vintage_refusal(who, b.vintage, block, date.year if use_year is None else use_year)
        if s.purpose not in ("OIMP", "NDC and OIMP"):
            what = f"authorised for {s.purpose} only" if s.purpose else f"not authorised on {date}"
            return f"units {block} are {what}, not for other international mitigation purposes"
        return None

    # --- choosing units -------------------------------------------------------------------
    def _pick(self, day: int, src: str, t, q: int, path: tuple) -> list:
        """The lots (each with the quantity to take) a transaction moves; splits lots as needed."""
        if t.serials is not None:
            return self._by_serials(day, src, t, q, path)
        sel = t.select
        lots, idx = self.reg.lots[src], self.reg.watch(src)
        out, left = [], q
        if left <= 0:   # refused by the checks before any replay; nothing to pick
            return out
        keys = self._select_keys(sel)
        by = sel.authorisation
        if by is None:   # too few units is known from the index's counts, without a walk
            have = self._held(idx, keys, sel.vintage)
            if have < q:
                self._too_few(day, t, q, have, keys, path)
        for k in self._in_order(idx, keys, sel.vintage):   # oldest vintage, activity, serial first
            lot = lots[k]
            if by is None or lot.status.agreement == by:
                take = min(left, lot.quantity)
                out.append((lot, take))
                left -= take
                if left == 0:
                    return out
        self._too_few(day, t, q, q - left, keys, path)   # every matching lot was taken

    def _select_keys(self, sel) -> Optional[list]:
        """The project keys a select's project and programme match (None: every recorded
        project)."""
        if sel.project is None and sel.programme is None:
            return None
        projects = self.book.projects
        if sel.project is None and len(self.keys_of_programme.get(sel.programme, ())) == len(projects):
            return None   # the programme of every recorded project: as a select naming none
        keys = (self.keys_of_project.get(sel.project, ()) if sel.project is not None else
                self.keys_of_programme.get(sel.programme, ()))
        return [k for k in keys if sel.programme is None or projects[k][0] == sel.programme]

    def _held(self, idx, keys, vintage) -> int:
        """Units of the recorded projects ``keys`` (None: every one) an account's index holds."""
        if keys is not None:
            return idx.held(keys, vintage)
        modelled = [a for a in self.m.activities if a in idx.by_activity]   # a holding may hold both
        return idx.held_all(vintage) - (idx.held(modelled, vintage) if modelled else 0)

    def _in_order(self, idx, keys, vintage):
        """The lot keys of the recorded projects ``keys`` (None: every one) in lot order.
        With None, the walk does not grow with the number of projects held: a history of
        selects by vintage or authorisation over thousands of projects stays linear."""
        if keys is not None:
            return idx.in_order(keys, vintage)
        projects = self.book.projects
        return (k for k in idx.in_order_all(vintage) if k[0] in projects)

    def _too_few(self, day, t, q, have, keys, path) -> None:
        holder = t.from_holder or t.holder
        gone = self._spent(holder, t.select, keys)
        more = f"; {gone:,} matching units it held were used or cancelled earlier" if gone else ""
        raise HistoryError(path + ("quantity",),
                           f"{holder} holds {have:,} matching recorded units on {self.book.cal.date_of(day)}, "
                           f"the transaction asks for {q:,}{more}")

    def _spent(self, holder: str, sel, keys) -> int:
        """The units matching a select the holder has used or cancelled (``keys``: its
        project keys, as :meth:`_select_keys`)."""
        reg, total = self.reg, 0
        for kind in ("ndc-use", "oimp-use", "voluntary-cancellation", "omge-cancellation"):
            acc = self.book.use_account(holder, kind)
            lots = reg.lots.get(acc)
            if not lots:
                continue
            idx = reg.watch(acc)
            if sel.authorisation is None:
                total += self._held(idx, keys, sel.vintage)
                continue
            for k in self._in_order(idx, keys, sel.vintage):
                lot = lots[k]
                if lot.status.agreement == sel.authorisation:
                    total += lot.quantity
        return total

    def _by_serials(self, day, src, t, q, path) -> list:
        rng, expected = parse_serials(t.serials)
        if rng is None:
            raise HistoryError(path + ("serials",), f"expected {expected}")
        if rng.quantity != q:
            raise HistoryError(path + ("serials",), f"the range holds {rng.quantity:,} units, quantity is {q:,}")
        found = self.book.internal_range(rng)
        if found is None:
            raise HistoryError(path + ("serials",), f"no recorded issuance holds serials {t.serials}")
        activity, vintage, first, last = found
        reg = self.reg
        lots = reg.lots[src]
        head = lots.get((activity, vintage, first))
        if head is not None and head.block.last >= last:   # the usual case: a block's head, no search
            return [(head, q)]
        covering = reg.watch(src).covering(lots, activity, vintage, first, last)   # by bisection
        covered = sum(min(last, lots[k].block.last) - max(first, k[2]) + 1 for k in covering)
        if covered < q:
            holder = t.from_holder or t.holder
            raise HistoryError(path + ("serials",), self._missing(holder, activity, vintage, first, last, day))
        out = []
        for k in covering:
            lot = lots[k]
            if lot.block.first < first:      # split off the serials before the range (no movement)
                reg.move(day, lot, src, src, first - lot.block.first, "split", record=False)
                lot = lots[(activity, vintage, first)]
            take = min(last, lot.block.last) - lot.block.first + 1
            out.append((lot, take))
        return out

    def _missing(self, holder, activity, vintage, first, last, day) -> str:
        """Say where serials a holder does not hold are (used, cancelled, held elsewhere)."""
        reg, own = self.reg, self.book.holding(holder)
        where = []
        for acc_id, lots in reg.lots.items():   # each account's lots of the range, by bisection
            if acc_id == own:
                continue
            acc = reg.accounts[acc_id]
            for k in reg.watch(acc_id).covering(lots, activity, vintage, first, last):
                n = min(last, lots[k].block.last) - max(first, k[2]) + 1
                state = ("already used" if acc.kind.endswith("-use") else
                         "already cancelled" if acc.terminal else f"held by {acc.owner}")
                where.append(f"{n:,} {state} ({acc_id})")
        date = self.book.cal.date_of(day)
        issued = reg.issued.get((activity, vintage), 0)
        if not where and issued < last:
            return f"these serials are not issued by {date}"
        return f"{holder} does not hold all these serials on {date}: " + "; ".join(where or ["not issued yet"])
