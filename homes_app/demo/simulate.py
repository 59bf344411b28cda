"""Two years of moves, day by day, made through the move services with a simulated `today`.

The simulation keeps its own picture of each bed (who is in it, what it is held or blocked for)
only to choose plausible moves; the services check every rule and write every audit entry, so a
move they refused would stop the load rather than slip through.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ..homes.models import Bed, BedHold, Home
from ..placements import beds as bed_services
from ..placements import services as moves
from ..placements.children import create_child
from ..placements.models import Placement
from .council import PLANNED_DESTINATIONS, PROFILES, UNPLANNED_DESTINATIONS
from .people import ChildMaker, age_on, eighteenth_birthday, years_before

DAY = timedelta(days=1)
ORDER = {"end": 0, "bed_move": 1, "arrive": 2, "redate": 3, "cancel": 3, "reserve": 4,
         "special": 5}
BED_MOVE_PATIENCE = 45  # days a wanted move to another bed waits for one to come free


@dataclass
class Stay:
    """A child living in a bed, and how the simulation means their stay to end."""

    placement: Placement
    bed: BedState
    ends: date
    planned_end: bool
    destination: str
    to_other_home: bool
    over: bool = False
    target: BedState | None = None  # a bed kept free in another home for a transfer


@dataclass
class BedState:
    bed: Bed
    home: Home
    stay: Stay | None = None
    plan: Placement | None = None
    blocked_until: date | None = None  # out of use or held for matching (exclusive)
    hold: BedHold | None = None
    hold_for: Stay | None = None
    kept_for: Stay | None = None  # kept free for a child transferring in

    def free(self, day: date) -> bool:
        return (self.stay is None and self.plan is None and self.kept_for is None
                and self.bed.in_service_from <= day
                and (self.blocked_until is None or self.blocked_until <= day))


class Simulation:
    def __init__(self, homes: list[Home], actors: dict[int, object], today: date, seed: int,
                 years: int = 2):
        self.rng = random.Random(seed)
        self.today, self.start = today, years_before(today, years)
        self.actors = actors
        self.beds = [BedState(b, h) for h in homes if h.accepts_admissions for b in h.beds]
        self.children = ChildMaker(self.rng)
        self.agenda: dict[date, list] = defaultdict(list)
        self.seq = 0

    # --- the run -------------------------------------------------------------------------
    def run(self, specials: list[tuple[date, str, dict]]) -> None:
        for day, name, args in specials:
            self._at(day, "special", name, args)
        self._go_live()
        day = self.start
        while day <= self.today:
            for *_, kind, args in sorted(self.agenda.pop(day, [])):
                getattr(self, f"_{kind}")(day, *args)
            self._referrals(day)
            day += DAY

    def _at(self, day: date, kind: str, *args) -> None:
        self.seq += 1
        self.agenda[day].append((ORDER[kind], self.seq, kind, args))

    def _actor(self, home: Home):
        return self.actors[home.id]

    # --- admissions ----------------------------------------------------------------------
    def _go_live(self) -> None:
        """The children already living in the homes when records begin, entered that day."""
        for bs in self.beds:
            if self.rng.random() > 0.8:
                continue
            earliest = max(bs.home.registered_on, bs.bed.in_service_from)
            arrived = max(earliest, self.start - timedelta(days=self.rng.randint(7, 400)))
            emergency = self.rng.random() < PROFILES[bs.home.home_type].emergency
            self._admit(bs, arrived, emergency, today=self.start)

    def _referrals(self, day: date) -> None:
        for bs in self.beds:
            profile = PROFILES[bs.home.home_type]
            if not bs.free(day) or self.rng.random() >= profile.referral_rate:
                continue
            if self.rng.random() < profile.emergency:
                self._admit(bs, day, True, today=day)
            else:
                self._plan(bs, day)

    def _admit(self, bs: BedState, arrived: date, emergency: bool, *, today: date) -> None:
        child = self._child(bs.home, arrived, today, young_until=today + timedelta(days=7))
        p = moves.admit_child(bs.home.id, bs.bed.id, child, arrived, emergency=emergency,
                              actor=self._actor(bs.home), today=today)
        self._settle(bs, p, arrived, not_before=today)

    def _plan(self, bs: BedState, day: date, arrives: date | None = None) -> Placement:
        arrives = arrives or day + timedelta(days=self.rng.randint(5, 35))
        child = self._child(bs.home, arrives, day)
        plan = moves.plan_admission(bs.home.id, bs.bed.id, child, arrives,
                                    actor=self._actor(bs.home), today=day)
        bs.plan = plan
        roll, lead = self.rng.random(), (arrives - day).days
        if arrives > self.today:
            roll = 1.0  # still to come when the records end: neither cancelled nor re-dated
        if roll < 0.07:
            self._at(day + timedelta(days=self.rng.randint(1, lead - 1)), "cancel", bs, plan)
        elif roll < 0.15:
            self._at(day + timedelta(days=self.rng.randint(1, lead - 1)), "redate", bs, plan)
        else:
            self._at(arrives, "arrive", bs, plan)
        return plan

    def _child(self, home: Home, arrives: date, today: date, young_until: date | None = None):
        """The child's record, added on `today`, the day the referral comes in."""
        details = self.children.make(home, arrives, young_until)
        return create_child(details, actor=self._actor(home), today=today)

    def _arrive(self, day: date, bs: BedState, plan: Placement) -> None:
        moves.confirm_admission(plan, day, actor=self._actor(bs.home), today=day)
        bs.plan = None
        self._settle(bs, plan, day, not_before=day)

    def _redate(self, day: date, bs: BedState, plan: Placement) -> None:
        later = plan.starts_on + timedelta(days=self.rng.randint(3, 14))
        moves.redate_admission(plan, later, actor=self._actor(bs.home), today=day)
        self._at(later, "arrive", bs, plan)

    def _cancel(self, day: date, bs: BedState, plan: Placement) -> None:
        moves.cancel_admission(plan, actor=self._actor(bs.home), today=day)
        bs.plan = None

    def _settle(self, bs: BedState, p: Placement, since: date, not_before: date) -> Stay:
        """The child now lives in `bs`: decide how and when their stay will end."""
        profile = PROFILES[bs.home.home_type]
        _, low, high = self.rng.choices(profile.stays, [w for w, *_ in profile.stays])[0]
        ends = since + timedelta(days=self.rng.randint(low, high))
        if ends <= not_before:
            ends = not_before + timedelta(days=self.rng.randint(7, 180))
        planned = self.rng.random() < profile.planned_ending
        table = PLANNED_DESTINATIONS if planned else UNPLANNED_DESTINATIONS
        destination = self.rng.choices(list(table), list(table.values()))[0]
        if destination == "supported_16_plus" and age_on(p.child.date_of_birth, ends) < 16:
            destination = "foster_care"
        adult = eighteenth_birthday(p.child)
        if adult <= ends:
            ends, planned = adult, True
            destination = self.rng.choice(("leaving_care", "supported_16_plus"))
        stay = Stay(p, bs, ends, planned, destination,
                    adult > ends and self.rng.random() < profile.to_other_home)
        bs.stay = stay
        self._at(ends, "end", stay)
        if stay.to_other_home:
            self._at(max(not_before + DAY, ends - timedelta(days=self.rng.randint(3, 21))),
                     "reserve", stay)
        if len(bs.home.beds) >= 3 and (ends - since).days > 60 \
                and self.rng.random() < profile.bed_move:
            move_on = since + timedelta(days=self.rng.randint(1, (ends - since).days - 31))
            if move_on > not_before:
                self._at(move_on, "bed_move", stay, move_on + timedelta(BED_MOVE_PATIENCE))
        return stay

    # --- endings and transfers -----------------------------------------------------------
    def _end(self, day: date, stay: Stay) -> None:
        bs, actor, target = stay.bed, self._actor(stay.bed.home), stay.target
        self._leave(bs, stay, day)
        if target is not None:
            target.kept_for = None
            nxt = moves.transfer_child(stay.placement, target.home.id, target.bed.id, day,
                                       planned=stay.planned_end, actor=actor, today=day)
            self._settle(target, nxt, day, not_before=day)
            return
        moves.discharge_child(stay.placement, day, destination=stay.destination,
                              planned=stay.planned_end, actor=actor, today=day)

    def _leave(self, bs: BedState, stay: Stay, day: date) -> None:
        stay.over, bs.stay = True, None
        for other in self.beds:
            if other.hold_for is stay:
                self._release_hold(other, day)

    def _reserve(self, day: date, stay: Stay) -> None:
        """Keep a bed free in another home that suits the child on the transfer date; if
        none is free, look again tomorrow (no bed by then: the child is discharged)."""
        if stay.over:
            return
        child, on = stay.placement.child, stay.ends
        fits = [bs for bs in self.beds if bs.home is not stay.bed.home and bs.free(day)
                and bs.home.min_age <= age_on(child.date_of_birth, on) <= bs.home.max_age
                and bs.home.sex_admitted in ("any", child.sex)
                and child.need_set <= bs.home.needs]
        if fits:
            stay.target = self.rng.choice(fits)
            stay.target.kept_for = stay
        elif day + DAY < on:
            self._at(day + DAY, "reserve", stay)

    def _bed_move(self, day: date, stay: Stay, give_up: date) -> None:
        if stay.over or stay.ends <= day + DAY:
            return
        home = stay.bed.home
        free = [bs for bs in self.beds if bs.home is home and bs is not stay.bed and bs.free(day)]
        if not free:
            if day < give_up:
                self._at(day + DAY, "bed_move", stay, give_up)
            return
        target = self.rng.choice(free)
        stay.placement = moves.transfer_child(stay.placement, home.id, target.bed.id, day,
                                              planned=True, actor=self._actor(home), today=day)
        stay.bed.stay, target.stay, stay.bed = None, stay, target

    # --- beds out of use and held for matching -------------------------------------------
    def _special(self, day: date, name: str, args: dict) -> None:
        """Try a one-off on `day`; while no bed suits, try again the next day."""
        done = getattr(self, f"_{name}")(day, **{k: v for k, v in args.items() if k != "until"})
        if not done and day < args["until"]:
            self._at(day + DAY, "special", name, args)

    def _beds_of(self, home_name: str) -> list[BedState]:
        return [bs for bs in self.beds if bs.home.name == home_name]

    def _out_of_use(self, day: date, home: str, reason: str, note: str,
                    back_on: date | None = None, days: int = 0) -> bool:
        """Put a free bed of `home` (or else of any home with two or more) out of use."""
        free = [bs for bs in self._beds_of(home) if bs.free(day)] or [
            bs for bs in self.beds if len(bs.home.beds) > 1 and bs.free(day)]
        if not free:
            return False
        bs, ends = free[-1], back_on or day + timedelta(days=days)
        bed_services.mark_out_of_use(bs.home.id, bs.bed.id, reason, day, ends, note=note,
                                     actor=self._actor(bs.home), today=day)
        bs.blocked_until = ends
        return True

    def _matching_hold(self, day: date, home: str, note: str) -> bool:
        """Hold the other bed of a two-bed home (`home` first) while its one child needs to
        live alone; the hold ends when that child leaves."""
        two_bed = sorted({bs.home.name for bs in self.beds if len(bs.home.beds) == 2},
                         key=lambda name: (name != home, name))
        for name in two_bed:
            beds = self._beds_of(name)
            lived_in = [bs for bs in beds if bs.stay is not None and bs.stay.ends > day + DAY]
            free = [bs for bs in beds if bs.free(day)]
            if len(lived_in) == 1 and free:
                return self._hold(free[0], lived_in[0].stay, day, note)
        return False

    def _hold(self, bs: BedState, stay: Stay, day: date, note: str) -> bool:
        bs.hold = bed_services.hold_bed(bs.home.id, bs.bed.id, day, None, note=note,
                                        reason="matching", actor=self._actor(bs.home), today=day)
        bs.blocked_until, bs.hold_for = date.max, stay
        return True

    def _release_hold(self, bs: BedState, day: date) -> None:
        bed_services.end_hold(bs.home.id, bs.hold.id, day, actor=self._actor(bs.home), today=day)
        bs.blocked_until, bs.hold_for, bs.hold = day, None, None

    def _future_admission(self, day: date) -> bool:
        """A planned admission still to come when the records end, holding its bed."""
        free = [bs for bs in self.beds if bs.free(day)]
        if free:
            self._plan(free[0], day, self.today + timedelta(days=self.rng.randint(3, 21)))
        return bool(free)
