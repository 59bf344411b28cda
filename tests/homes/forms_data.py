"""What each homes form posts, as a browser would send it."""
from __future__ import annotations

from datetime import date

from homes_app.homes.models import Home

from .support import TODAY, day

DEC_1, DEC_10 = date(2026, 12, 1), date(2026, 12, 10)
BLANK = ["", "", ""]


def home_post(home: Home | None = None, **changes) -> dict:
    """The home form filled in as it shows `home` (or a new planned home), with changes."""
    data = {
        "name": "Birch House", "address": "1 Birch Road", "postcode": "de1 1aa",
        "district": "North", "home_type": "solo", "status": "registering",
        "registered_on": BLANK, "closed_on": BLANK, "ofsted_urn": "",
        "registered_manager_id": "", "target_occupancy_pct": "", "weekly_unit_cost": "",
        "max_children": "1", "min_age": "8", "max_age": "17", "sex_admitted": "any",
        "categories_of_need": ["ebd", "learning"],
    }
    if home is not None:
        data.update({
            "name": home.name, "address": home.address, "postcode": home.postcode,
            "district": home.district, "home_type": home.home_type, "status": home.status,
            "registered_on": day(home.registered_on) if home.registered_on else BLANK,
            "ofsted_urn": home.ofsted_urn or "",
            "max_children": str(home.max_children), "min_age": str(home.min_age),
            "max_age": str(home.max_age), "sex_admitted": home.sex_admitted,
            "categories_of_need": sorted(home.needs),
            "weekly_unit_cost": f"{home.weekly_unit_cost_pence / 100:.2f}",
        })
    data.update(changes)
    return data


def routes(world) -> dict[str, tuple[str, dict, str]]:
    """Each administration route: its URL, good form data, and the audit action it writes."""
    h = world.home
    free = h.beds[2]
    return {
        "new_home": ("/homes/new", home_post(), "home.create"),
        "edit_home": (f"/homes/{h.id}/edit", home_post(h, district="South"), "home.update"),
        "settings": ("/settings", {"default_target_occupancy_pct": "75"}, "settings.update"),
        "new_bed": (f"/homes/{h.id}/beds/new",
                    {"label": "Bed 4", "in_service_from": day(TODAY)}, "bed.add"),
        "retire_bed": (f"/homes/{h.id}/beds/{free.id}/retire",
                       {"in_service_until": day(DEC_10)}, "bed.retire"),
        "hold_bed": (f"/homes/{h.id}/beds/{free.id}/hold",
                     {"starts_on": day(TODAY), "ends_on": day(DEC_1), "note": "Solo"},
                     "bed_hold.start"),
        "end_hold": (f"/homes/{h.id}/holds/{world.hold.id}/end", {"ends_on": day(DEC_10)},
                     "bed_hold.end"),
        "out_of_use": (f"/homes/{h.id}/beds/{free.id}/out-of-use",
                       {"reason": "damage", "note": "", "starts_on": day(TODAY),
                        "ends_on": BLANK}, "bed_out_of_use.start"),
        "end_out_of_use": (f"/homes/{h.id}/out-of-use/{world.out.id}/end",
                           {"ends_on": day(DEC_1)}, "bed_out_of_use.end"),
    }


ADMIN_ROUTES = ("new_home", "edit_home", "settings")
BED_ROUTES = ("new_bed", "retire_bed", "hold_bed", "end_hold", "out_of_use", "end_out_of_use")
