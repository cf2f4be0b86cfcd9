"""What proposals tell the layers above them, which they do not know: the sessions listen."""

from django.dispatch import Signal

# Sent inside the accepting transaction with `proposal`: an open sidang kelompok of the
# kelurahan takes it on its table at once.
proposal_accepted = Signal()
