# the mixin first: every evidence model inherits it
from . import qms_evidence_seal
from . import qms_evidence_indexed
from . import qms_evidence_mixin
from . import qms_clause
from . import qms_management_review
from . import qms_management_review_figure
from . import res_partner
from . import qms_evidence_signing_key
from . import qms_evidence_pack_log
