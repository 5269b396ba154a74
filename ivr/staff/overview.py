"""The overview page: how the line is doing, as pictures first and numbers beside them."""

from __future__ import annotations

from flask import Response, current_app, render_template, request

from ivr.extensions import current_line
from ivr.staff import bp
from ivr.staff.stats import PERIODS, calls_since, overview, period_start
from ivr.upkeep import spool

# The charts and Graphviz are imported by the views that draw them, so a worker answering calls never loads them.


@bp.get("/overview")
def overview_page() -> str:
    """Calls today and this week; referrals finished or dropped; where callers left; call lengths; outcomes."""
    from ivr.staff.charts import Split, bar_chart

    period = request.args.get("period") if request.args.get("period") in PERIODS else "week"
    figures = overview(current_line().book, period_start(period))
    funnel = bar_chart([(row.label, row.reached, row.left) for row in figures.funnel])
    return render_template(
        "staff/overview.html", period=period, periods=PERIODS, figures=figures,
        calls_today=calls_since(period_start("today")), calls_week=calls_since(period_start("week")),
        funnel=funnel, outcomes=bar_chart(list(figures.outcomes.items())),
        referrals=Split(figures.referrals_completed, figures.referrals_incomplete),
        spooled=spool.waiting().events,  # counted by lines: nothing personal is read
    )


@bp.get("/flows.svg")
def flow_map() -> Response:
    """The call flows as a graph: every step, key, retry and exit (drawn by Graphviz)."""
    from ivr.tools.flowmap import FlowMapUnavailable, flow_map_svg

    try:
        cache = current_app.extensions  # flows only change with a restart, so draw them once
        if "flow_map_svg" not in cache:
            cache["flow_map_svg"] = flow_map_svg(current_line().book)
        return Response(cache["flow_map_svg"], mimetype="image/svg+xml")
    except FlowMapUnavailable as error:
        return Response(str(error), status=503, mimetype="text/plain")
