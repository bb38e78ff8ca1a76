"""The workshop room: delegations negotiate Article 6 deals live; a big screen shows
every party's NDC account respond (``/room``, ``/room/<code>``, ``/room/<code>/screen``).

* :mod:`.actions`: what delegations and the facilitator do, as pure functions over the
  room's state, checked (refused with a message, nothing stored);
* :mod:`.store`: rooms in SQLite, written on every action;
* :mod:`.scenario`: the room's deals and events as a scenario, simulated through the
  public API;
* :mod:`.facilitator`, :mod:`.delegation`, :mod:`.screen`: the pages.
"""
