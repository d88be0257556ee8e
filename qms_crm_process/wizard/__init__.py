from . import qms_process_gate_override
from . import qms_acceptance_sign
