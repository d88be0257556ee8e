from . import qms_gate_override
from . import qms_requirement_change
from . import qms_requirement_confirm_behalf
