"""Hooks through which `cases` causes work in the layers above it without importing them
(issue 9). The receivers are connected in the higher apps' `AppConfig.ready`."""

from django.dispatch import Signal

# Sent inside the transaction that changed the inputs of one or more proposals (the editor's
# save, a JSON or xlsx import), after the change is written.
# Arguments: proposals (list[cases.models.Proposal], each with its new `version`),
# user (the User who changed them, or None for a command), reason (str, e.g. "saved").
# `review` records a history version and refreshes the stored summary of each proposal.
# A receiver that raises rolls the whole change back (it is sent with `send`, not
# `send_robust`).
inputs_changed = Signal()

# Sent inside the transaction that changed a catalogue's appraisal settings (discount
# rate, horizon; the admin's save), after the change is written.
# Arguments: catalog (cases.models.Catalog).
# `review` refreshes the stored summaries of the catalogue's proposals (their present
# value and discounted payback depend on the settings).
catalog_settings_changed = Signal()

# Sent inside the same transaction, after `inputs_changed`, for each proposal whose inputs
# changed after the decision (status in `cases.permissions.DECIDED_STATUSES`), with the
# reason the user gave (the change is refused without one).
# Arguments: proposal (cases.models.Proposal, with its new `version`), user (or None),
# status (str, the proposal's status), reason (str, the user's words, never empty),
# before and after (dict: the inputs as `cases.exporting.export_inputs` gives them).
# `review` records it in the history ("ændring efter beslutning"); `followup` notes it
# next to the frozen plan, which stays as adopted.
decided_inputs_changed = Signal()
