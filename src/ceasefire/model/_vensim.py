"""Write a scenario's deterministic model as a Vensim ``.mdl`` file that PySD runs.

The model is the engines' model at one point (every parameter at one value): the same
stocks, the same flows written by the same equations (traced as Vensim text by
:mod:`ceasefire.model._symbolic`), the same outflow limiter and Euler steps. Time is in days
(``TIME STEP`` is the scenario's step), rates per day. Stocks are ``Active <side>
<channel>``, ``Training <side> <channel>`` (``… stage j`` for a delay of order > 1),
``Wounded <side> <channel>`` (wounded return to their own channel, so the engines keep them
per channel), ``Pool <side>``, ``Front``, and the counters ``Cumulative recruited <side>
<channel>`` (and ``killed``, ``wounded total``, ``returned``, ``discharged``, ``deserted``;
Vensim names ignore case, so a counter cannot share its flow's name).

Names come from the scenario, so they are reduced to letters, digits, spaces and ``_``;
comments lose Vensim's separators (``~``, ``|``) and braces. Nothing in a scenario
reaches the file except as such a name, a comment, or a number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from ceasefire.model import equations as eq
from ceasefire.model._inputs import Inputs, build_inputs
from ceasefire.model._schedule import ScheduleTable
from ceasefire.model._symbolic import Symbol, number, vensim
from ceasefire.scenario import Scenario, iter_params

__all__ = ["export_vensim", "vensim_name"]

FloatArray = npt.NDArray[np.float64]


def vensim_name(text: str) -> str:
    """Reduce a scenario name to what a Vensim variable name may safely hold."""
    cleaned = re.sub(r"[^A-Za-z0-9_ ]+", "_", text).strip()
    return re.sub(r"\s+", " ", cleaned) or "_"


def _comment(text: str) -> str:
    return re.sub(r"[~|{}\\\r\n\t]+", " ", text).strip()


class _Model:
    """The equations of the file, in order, with units and comments."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def add(self, name: str, expression: str, units: str, comment: str = "") -> Symbol:
        self.blocks.append(f"{name} =\n\t{expression}\n\t~\t{units}\n\t~\t{_comment(comment)}\n\t|")
        return Symbol(name)

    def limited_pair(
        self, name: str, stock: Symbol, dt: Symbol, *outflows: tuple[str, Symbol]
    ) -> list[Symbol]:
        """Two outflows of one stock under one limiter factor, as the engines limit them.

        ``name`` is the factor's variable; each outflow is ``(its name, its unlimited flow)``.
        """
        first, second = (raw for _, raw in outflows)
        limit = self.add(name, vensim(eq.limiter_factor, stock, (first + second) * dt), "Dmnl")
        return [self.add(n, f"{raw.text} * {limit.text}", "men/Day") for n, raw in outflows]

    def stock(self, name: str, net: str, initial: float, units: str, comment: str) -> Symbol:
        body = f"INTEG (\n\t{net},\n\t\t{number(initial)})"
        self.blocks.append(f"{name} = {body}\n\t~\t{units}\n\t~\t{_comment(comment)}\n\t|")
        return Symbol(name)


def COUNTER_FLOWS(*flows: Symbol) -> list[tuple[str, Symbol]]:  # noqa: N802 - a table
    """Pair each cumulative counter (the engines' COUNTERS) with the flow it adds up."""
    names = ("recruited", "killed", "wounded total", "returned", "discharged", "deserted")
    return list(zip(names, flows, strict=True))


def _provenance(scenario: Scenario) -> dict[str, str]:
    return {
        ".".join(str(p) for p in path): param.provenance() for path, param in iter_params(scenario)
    }


def _schedule(table: ScheduleTable | None, row: int, outside: float) -> str:
    """Write a dated schedule row as nested ``IF THEN ELSE`` on ``Time`` (days)."""
    if table is None:
        return number(outside)
    text = number(table.outside)
    for piece in reversed(table.pieces[row]):
        value = float(piece.value[0])
        level = number(value)
        if piece.end_value is not None:
            slope = float(piece.end_value[0]) - value
            span = piece.end_day - piece.start_day
            level = (
                f"({level} + {number(slope)} * (Time - {number(piece.start_day)}) / {number(span)})"
            )
        conditions = [f"Time >= {number(piece.start_day)}"]
        if np.isfinite(piece.end_day):
            conditions.append(f"Time < {number(piece.end_day)}")
        text = f"IF THEN ELSE({' :AND: '.join(conditions)}, {level}, {text})"
    return text


def export_vensim(scenario: Scenario, values: Mapping[str, FloatArray]) -> str:
    """Return the ``.mdl`` text of ``scenario`` with its uncertain parameters at ``values``.

    ``values`` maps each uncertain parameter's dotted path to a one-element array (as
    :func:`ceasefire.model.build_inputs` takes them); the others take their fixed values.
    """
    x = build_inputs(scenario, values, 1)
    provenance = _provenance(scenario)
    return _write(scenario, x, provenance)


def _write(scenario: Scenario, x: Inputs, provenance: Mapping[str, str]) -> str:
    m = _Model()
    layout = x.layout
    sides = [vensim_name(s) for s in layout.side_ids]
    side_of = [int(s) for s in layout.slot_side]
    channel_ids = list(layout.channel_ids)
    slot_ids = [
        (list(scenario.sides)[side_of[k]], channel_ids[int(layout.slot_channel[k])])
        for k in range(layout.slots)
    ]
    slots = [f"{sides[side_of[k]]} {vensim_name(c)}" for k, (_, c) in enumerate(slot_ids)]
    n_sides = len(sides)

    def slot_path(k: int, field: str) -> str:
        side, channel = slot_ids[k]
        return provenance.get(f"sides.{side}.channels.{channel}.{field}", "")

    def side_path(s: int, field: str) -> str:
        return provenance.get(f"sides.{layout.side_ids[s]}.{field}", "")

    def constant(name: str, value: float, units: str, comment: str) -> Symbol:
        return m.add(name, number(value), units, comment)

    def per_slot(
        label: str, values: FloatArray, units: str, note: str = "", field: str = ""
    ) -> list:
        """One constant per slot, ``<label> <side> <channel>``, its provenance from ``field``."""
        return [
            constant(
                f"{label} {slots[k]}", values[k, 0], units, note + slot_path(k, field or label)
            )
            for k in range(layout.slots)
        ]

    def per_side(
        label: str, values: FloatArray, units: str, note: str = "", field: str = ""
    ) -> list:
        """One constant per side, ``<label> <side>``; provenance from ``field`` (or ``note``)."""
        return [
            constant(
                f"{label} {sides[s]}",
                values[s, 0],
                units,
                note + (side_path(s, field) if field else ""),
            )
            for s in range(n_sides)
        ]

    # Parameters (each with its source or assumption).
    graduation = per_slot(
        "graduation rate",
        x.graduation_rate,
        "1/Day",
        "training order / training delay; ",
        "training_delay",
    )
    effectiveness = per_slot("effectiveness", x.effectiveness, "Dmnl")
    exposure = per_slot("exposure", x.exposure, "Dmnl")
    killed_fraction = per_side("killed fraction", x.killed_fraction, "Dmnl", "", "killed_fraction")
    return_rate = per_side(
        "return rate",
        x.return_rate,
        "1/Day",
        "returning fraction / recovery delay; ",
        "wounded_return.fraction",
    )
    discharge_rate = per_side(
        "discharge rate",
        x.discharge_rate,
        "1/Day",
        "(1 - returning fraction) / recovery delay; ",
        "wounded_return.delay",
    )
    desertion_rate = per_side("desertion rate", x.desertion_rate, "1/Day", "", "desertion_rate")
    law_rate = per_side(
        "law rate",
        x.law_rate,
        "1/Day",
        f"the {x.law.name} law's rate for this side (lethality, own loss rate or exchange "
        "multiplier), from the scenario's combat section",
    )
    max_loss = per_side(
        "max loss rate",
        x.max_loss_rate,
        "1/Day",
        "1 / min_loss_time (1e+300: no cap); " + provenance.get("combat.min_loss_time", ""),
    )
    first_shape = constant(
        "law first shape",
        x.law_first_shape[0],
        "Dmnl",
        f"the {x.law.name} law's first shape parameter (0: unused)",
    )
    second_shape = constant(
        "law second shape",
        x.law_second_shape[0],
        "Dmnl",
        f"the {x.law.name} law's second shape parameter (0: unused)",
    )

    # Stocks are named here, defined at the end (their flows come first).
    active = [Symbol(f"Active {slots[k]}") for k in range(layout.slots)]
    wounded = [Symbol(f"Wounded {slots[k]}") for k in range(layout.slots)]
    pool = [Symbol(f"Pool {sides[s]}") for s in range(n_sides)]
    orders = [int(o) for o in x.training_order]
    training = [
        [
            Symbol(f"Training {slots[k]}" + (f" stage {j + 1}" if orders[k] > 1 else ""))
            for j in range(orders[k])
        ]
        for k in range(layout.slots)
    ]
    dt = Symbol("TIME STEP")

    # Recruitment: schedule × policy × incentive × depletion, limited by the pool.
    has_pool = np.isfinite(x.initial_pool[:, 0])
    depletion: list[Symbol | float] = [1.0] * n_sides
    for s in range(n_sides):
        if has_pool[s]:
            inverse = constant(
                f"inverse initial pool {sides[s]}",
                1.0 / x.initial_pool[s, 0],
                "1/men",
                side_path(s, "pool.initial"),
            )
            exponent = constant(
                f"pool exponent {sides[s]}",
                x.pool_exponent[s, 0],
                "Dmnl",
                side_path(s, "pool.depletion_exponent"),
            )
            depletion[s] = m.add(
                f"pool factor {sides[s]}",
                vensim(eq.pool_factor, pool[s], inverse, exponent),
                "Dmnl",
                "(pool / initial pool) ^ depletion exponent",
            )
    unlimited_recruits = []
    for k in range(layout.slots):
        scheduled = m.add(
            f"scheduled recruitment {slots[k]}",
            _schedule(x.recruitment, k, 0.0),
            "men/Day",
            slot_path(k, "recruitment"),
        )
        policy = m.add(
            f"policy {slots[k]}", _schedule(x.policy, k, 1.0), "Dmnl", slot_path(k, "policy")
        )
        incentive: Symbol | float = 1.0
        if x.bonus is not None and x.bonus.pieces[k]:
            bonus = m.add(
                f"bonus {slots[k]}",
                _schedule(x.bonus, k, 1.0),
                "money",
                slot_path(k, "incentive.bonus"),
            )
            reference = constant(
                f"bonus reference {slots[k]}",
                x.bonus_reference[k, 0],
                "money",
                slot_path(k, "incentive.reference"),
            )
            elasticity = constant(
                f"bonus elasticity {slots[k]}",
                x.bonus_elasticity[k, 0],
                "Dmnl",
                slot_path(k, "incentive.elasticity"),
            )
            incentive = m.add(
                f"incentive {slots[k]}",
                vensim(eq.incentive_factor, bonus, reference, elasticity),
                "Dmnl",
                "(bonus / reference) ^ elasticity",
            )
        pooled = bool(x.draws_on_pool[k]) and has_pool[side_of[k]]
        unlimited_recruits.append(
            m.add(
                f"recruitment unlimited {slots[k]}",
                vensim(
                    eq.recruitment,
                    scheduled,
                    policy,
                    incentive,
                    depletion[side_of[k]] if pooled else 1.0,
                ),
                "men/Day",
                "schedule x policy x incentive x pool depletion",
            )
        )
    recruits = list(unlimited_recruits)
    for s in range(n_sides):
        drawing = [k for k in range(layout.slots) if side_of[k] == s and x.draws_on_pool[k]]
        if not (has_pool[s] and drawing):
            continue
        need = " + ".join(unlimited_recruits[k].text for k in drawing)
        factor = m.add(
            f"pool limit {sides[s]}",
            vensim(eq.limiter_factor, pool[s], Symbol(f"(({need}) * TIME STEP)")),
            "Dmnl",
            "the outflow limiter: no more than the pool holds in a step",
        )
        for k in drawing:
            recruits[k] = m.add(
                f"recruitment {slots[k]}",
                f"{unlimited_recruits[k].text} * {factor.text}",
                "men/Day",
            )

    # Training: stages of the delay, each limited by its stock.
    stage_out: list[list[Symbol]] = []
    for k in range(layout.slots):
        outs = []
        for j, stage in enumerate(training[k]):
            label = f"{slots[k]}" + (f" stage {j + 1}" if orders[k] > 1 else "")
            raw = m.add(
                f"graduation unlimited {label}",
                vensim(eq.stage_outflow, stage, graduation[k]),
                "men/Day",
            )
            limit = m.add(
                f"training limit {label}", vensim(eq.limiter_factor, stage, raw * dt), "Dmnl"
            )
            outs.append(m.add(f"graduation {label}", f"{raw.text} * {limit.text}", "men/Day"))
        stage_out.append(outs)

    # Combat.
    effective, held, exposed = [], [], []
    for s in range(n_sides):
        members = [k for k in range(layout.slots) if side_of[k] == s]
        effective.append(
            m.add(
                f"effective strength {sides[s]}",
                " + ".join(f"{effectiveness[k].text} * {active[k].text}" for k in members) or "0",
                "men",
            )
        )
        held.append(
            m.add(f"held {sides[s]}", " + ".join(active[k].text for k in members) or "0", "men")
        )
        exposed.append(
            m.add(
                f"exposed {sides[s]}",
                " + ".join(f"{active[k].text} * {exposure[k].text}" for k in members) or "0",
                "men",
            )
        )
    scheduled_casualties = m.add(
        "scheduled casualties",
        _schedule(x.law_schedule, 0, 0.0),
        "men/Day",
        provenance.get("combat.casualties", ""),
    )
    intensity = m.add(
        "intensity", _schedule(x.intensity, 0, 1.0), "Dmnl", provenance.get("combat.intensity", "")
    )
    ratio_change = None
    if x.ratio_change is not None:
        ratio_change = m.add(
            "exchange ratio change",
            _schedule(x.ratio_change, 0, 1.0),
            "Dmnl",
            provenance.get("combat.exchange_ratio_change", "dated multipliers on the ratio"),
        )
    side_casualties = []
    for s in range(n_sides):
        o = 1 - s
        law = m.add(
            f"law casualties {sides[s]}",
            vensim(
                x.law.casualties,
                effective[s],
                effective[o],
                law_rate[s],
                law_rate[o],
                first_shape,
                second_shape,
                scheduled_casualties,
                Symbol("Time"),
            ),
            "men/Day",
            f"the {x.law.name} combat law",
        )
        if ratio_change is not None and s == x.ratio_side:
            law = m.add(
                f"ratio scaled casualties {sides[s]}",
                vensim(eq.ratio_scaled, law, ratio_change),
                "men/Day",
                "law casualties / the exchange ratio's dated multiplier",
            )
        side_casualties.append(
            m.add(
                f"side casualties {sides[s]}",
                vensim(eq.limited_casualties, law, intensity, held[s], max_loss[s]),
                "men/Day",
                "law x intensity, capped at held force x max loss rate",
            )
        )
    one_slot = layout.slots == n_sides
    casualties, deserted, returned, discharged = [], [], [], []
    for k in range(layout.slots):
        s = side_of[k]
        if one_slot:
            raw_casualties: Symbol = side_casualties[s]
        else:
            share = m.add(
                f"exposure share {slots[k]}",
                vensim(eq.exposure_share, active[k], exposure[k], exposed[s]),
                "Dmnl",
            )
            raw_casualties = m.add(
                f"casualties unlimited {slots[k]}",
                f"{share.text} * {side_casualties[s].text}",
                "men/Day",
            )
        raw_deserted = m.add(
            f"deserted unlimited {slots[k]}",
            vensim(eq.deserted, active[k], desertion_rate[s]),
            "men/Day",
        )
        limited = m.limited_pair(
            f"active limit {slots[k]}",
            active[k],
            dt,
            (f"casualties {slots[k]}", raw_casualties),
            (f"deserted {slots[k]}", raw_deserted),
        )
        casualties.append(limited[0])
        deserted.append(limited[1])
        raw_returned = m.add(
            f"returned unlimited {slots[k]}",
            vensim(eq.returned, wounded[k], return_rate[s]),
            "men/Day",
        )
        raw_discharged = m.add(
            f"discharged unlimited {slots[k]}",
            vensim(eq.discharged, wounded[k], discharge_rate[s]),
            "men/Day",
        )
        limited = m.limited_pair(
            f"wounded limit {slots[k]}",
            wounded[k],
            dt,
            (f"returned {slots[k]}", raw_returned),
            (f"discharged {slots[k]}", raw_discharged),
        )
        returned.append(limited[0])
        discharged.append(limited[1])

    # Stocks and counters.
    for s in range(n_sides):
        drawing = [k for k in range(layout.slots) if side_of[k] == s and x.draws_on_pool[k]]
        if has_pool[s]:
            outflow = " + ".join(recruits[k].text for k in drawing) or "0"
            m.stock(
                pool[s].text,
                f"-({outflow})",
                x.initial_pool[s, 0],
                "men",
                "men still eligible for recruitment; " + side_path(s, "pool.initial"),
            )
    for k in range(layout.slots):
        s = side_of[k]
        for j, stage in enumerate(training[k]):
            inflow = recruits[k].text if j == 0 else stage_out[k][j - 1].text
            m.stock(
                stage.text,
                f"{inflow} - {stage_out[k][j].text}",
                x.initial_training[k, 0] / orders[k],
                "men",
                "recruits in training; " + slot_path(k, "initial_training"),
            )
        if orders[k] > 1:
            m.add(
                f"Training {slots[k]}",
                " + ".join(stage.text for stage in training[k]),
                "men",
                "recruits in training, all stages",
            )
        net = (
            f"{stage_out[k][-1].text} + {returned[k].text} - {casualties[k].text}"
            f" - {deserted[k].text}"
        )
        m.stock(
            active[k].text,
            net,
            x.initial_active[k, 0],
            "men",
            "deployed personnel; " + slot_path(k, "initial_active"),
        )
        new_wounded = m.add(
            f"new wounded {slots[k]}",
            vensim(eq.newly_wounded, casualties[k], killed_fraction[s]),
            "men/Day",
        )
        killed = m.add(
            f"killed {slots[k]}", vensim(eq.killed, casualties[k], killed_fraction[s]), "men/Day"
        )
        m.stock(
            wounded[k].text,
            f"{new_wounded.text} - {returned[k].text} - {discharged[k].text}",
            x.initial_wounded[k, 0],
            "men",
            "wounded under treatment; " + slot_path(k, "initial_wounded"),
        )
        for counter, flow in COUNTER_FLOWS(
            recruits[k], killed, new_wounded, returned[k], discharged[k], deserted[k]
        ):
            m.stock(f"Cumulative {counter} {slots[k]}", flow.text, 0.0, "men", "since the start")

    if x.initial_front is not None:
        assert x.front_speed is not None
        assert x.front_stall_ratio is not None
        assert x.front_width is not None
        assert x.contested_area is not None
        holder = x.front_holder
        speed = constant(
            "front speed", x.front_speed[0], "km2/Day", provenance.get("front.max_speed", "")
        )
        stall = constant(
            "front stall ratio",
            x.front_stall_ratio[0],
            "Dmnl",
            provenance.get("front.stall_ratio", ""),
        )
        width = constant("front width", x.front_width[0], "Dmnl", provenance.get("front.width", ""))
        area = constant(
            "contested area", x.contested_area[0], "km2", provenance.get("front.contested_area", "")
        )
        pace = m.add(
            "front pace",
            _schedule(x.front_pace, 0, 1.0),
            "Dmnl",
            provenance.get("front.pace", "dated multipliers on the front speed (1: none)"),
        )
        front = Symbol("Front")
        flow = m.add(
            "front flow",
            vensim(
                eq.front_flow, effective[holder], effective[1 - holder], speed, stall, width, pace
            ),
            "km2/Day",
            "v pace tanh((E holder / E other - stall ratio) / width)",
        )
        change = m.add(
            "front change",
            f"({vensim(eq.front_moved, front, flow, dt, area)} - Front) / TIME STEP",
            "km2/Day",
            "the step that keeps the front within [0, contested area]",
        )
        m.stock(
            "Front",
            change.text,
            x.initial_front[0],
            "km2",
            f"area held by {sides[holder]}; " + provenance.get("front.initial", ""),
        )

    grid = x.grid
    about = _comment(
        f"the start of scenario {scenario.name} ({scenario.time.start}); exported by ceasefire: "
        "the deterministic model, Euler, time in days; every number's source or assumption "
        "is in its comment"
    )
    controls = [
        f"INITIAL TIME = 0\n\t~\tDay\n\t~\t{about}\n\t|",
        f"FINAL TIME = {number(grid.steps * grid.dt)}\n\t~\tDay\n\t~\tthe horizon\n\t|",
        f"TIME STEP = {number(grid.dt)}\n\t~\tDay\n\t~\tthe integration step\n\t|",
        "SAVEPER = TIME STEP\n\t~\tDay\n\t~\tevery step (a month: the nearest step)\n\t|",
    ]
    return "{UTF-8}\n" + "\n\n".join(m.blocks + controls) + "\n"
