"""Draw every call flow as one graph (Graphviz): steps, the answers that leave them, retries and hang-ups."""

from __future__ import annotations

import graphviz

from ivr.callflow.flowbook import Choice, FlowBook, Step, Transition

FLOW_COLOURS = {
    "main": "#005eb8", "information": "#007f3b", "referral": "#330072", "enquiry": "#7c2855", "crisis": "#da291c",
    "speak": "#00a499",
}
GIVE_UP_COLOUR = "#8a1538"


class FlowMapUnavailable(RuntimeError):
    """Graphviz's dot program is not installed, so the map cannot be drawn."""


def _step_label(step: Step) -> str:
    short = step.name.split(".", 1)[1]
    if step.decide:
        return f"{short}\ndecides: {step.decide}"
    lines = [short]
    if step.say:
        lines.append("says: " + ", ".join(step.say))
    if step.ask:
        lines.append(f"asks: {step.ask} ({step.expect})")
        tries = f"re-asks {step.retries}×" if step.retries else "asks once"
        lines.append(tries if "max_retries" in step.on else f"{tries}, then gives up (main.give_up)")
    if step.dial:
        lines.append(f"puts the caller through to: {step.dial}")
    if step.effects:
        lines.append("does: " + ", ".join(step.effects))
    if step.hangup:
        lines.append("hangs up")
    if step.back:
        lines.append("back to where the caller was")
    return "\n".join(lines)


def _shape(step: Step) -> str:
    if step.decide:
        return "diamond"
    if step.hangup:
        return "doubleoctagon"
    return "box" if step.ask else "note"


def _edges(step: Step) -> list[tuple[str, str, dict[str, str]]]:
    """(target, label, style) for every way out of a step; the usual give-up exit is in the step's label."""
    edges = [(c.then.next, _choice_label(c), _style(c.then)) for c in step.choices]
    for event, transition in step.on.items():
        misses = f"after {step.retries + 1} misses" if step.retries else "no answer"
        label = {"ok": "", "max_retries": misses}.get(event, event)
        style = _style(transition)
        if event == "max_retries":
            style = {"style": "dashed", "color": GIVE_UP_COLOUR, "fontcolor": GIVE_UP_COLOUR}
        edges.append((transition.next, label, style))
    return edges


def _choice_label(choice: Choice) -> str:
    label = f"{choice.key}: {choice.words[0]}" if choice.words else choice.key
    return label + (f"\n(offered when {choice.when})" if choice.when else "")


def _style(transition: Transition) -> dict[str, str]:
    style = {"style": "dashed"} if transition.retry else {}
    if transition.save:
        style["tooltip"] = "saves " + ", ".join(transition.save)
    return style


def flow_graph(book: FlowBook) -> graphviz.Digraph:
    """The flows as a Graphviz graph: one cluster per flow, cross-flow edges in bold."""
    graph = graphviz.Digraph("flows", graph_attr={
        "rankdir": "TB", "fontname": "Arial", "label": (
            "At every question: * repeats it and 0 goes to the main menu. "
            "Dashed: 'no' asks again; red dashed: too many misses; bold: into another flow."
        ), "labelloc": "t", "fontsize": "14",
    }, node_attr={"fontname": "Arial", "fontsize": "10"}, edge_attr={"fontname": "Arial", "fontsize": "9"})
    flows: dict[str, list[Step]] = {}
    for step in book.steps.values():
        flows.setdefault(step.flow, []).append(step)
    for flow, steps in flows.items():
        colour = FLOW_COLOURS.get(flow, "#425563")
        with graph.subgraph(name=f"cluster_{flow}") as cluster:
            cluster.attr(label=f"{flow} flow", color=colour, fontcolor=colour, style="rounded")
            for step in steps:
                cluster.node(step.name, _step_label(step), shape=_shape(step), color=colour)
    for step in book.steps.values():
        for target, label, style in _edges(step):
            if book.steps[target].flow != step.flow:
                style = {**style, "penwidth": "2", "color": FLOW_COLOURS.get(book.steps[target].flow, "black")}
            graph.edge(step.name, target, label=label, **style)
    return graph


def flow_map_svg(book: FlowBook) -> str:
    """The whole flow map as an SVG document; raises FlowMapUnavailable if Graphviz isn't installed."""
    try:
        return flow_graph(book).pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        raise FlowMapUnavailable(
            "Graphviz's 'dot' program isn't installed: apt-get install graphviz"
        ) from None
