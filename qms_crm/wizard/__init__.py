from . import mail_compose_message
from . import qms_clause_coverage
from . import qms_communication_log
from . import qms_gate_override
from . import qms_product_info
from . import qms_requirement_change

from . import qms_evidence_pack
