"""What the audit log knows about children's personal data: which audited record types are a
child's record (their values are shown only to those who may open the record, see
auth.services.may_see_audit_values), and the reads of children's data it records, in words."""
from __future__ import annotations

# Record types (audit subject types, i.e. table names) holding a child's personal data: the
# child's record (name, date of birth, legal status, needs), their stays (where they live, why
# they left) and corrections to stays (with a free-text reason).
CHILD_RECORDS = frozenset({"children", "placements", "placement_corrections"})

# Every read of children's data writes one audit event with one of these actions, naming the
# children shown (a list or an export names all of them in one event).
READS = {
    "child.view": "Child's record",
    "child.edit_form": "Form to change a child's record",
    "children.list": "Children list",
    "move.form": "Form to record a move",
    "home.page": "Home's page (beds and recent moves)",
    "postcodes.page": "Postcodes to fix",
    "report.page": "Report",
    "report.export": "Report download",
    "ssda903.export": "SSDA903 download",
    "audit.search": "Audit log search",
    "audit.child_seen": "Who has seen a child's record",
}
