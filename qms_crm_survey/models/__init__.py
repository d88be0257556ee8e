from . import survey_question
from . import survey_survey
from . import survey_user_input
from . import survey_user_input_line
from . import qms_survey_invitation
from . import res_partner
from . import res_config_settings
from . import helpdesk_ticket
from . import qms_focus_group
from . import qms_focus_group_member
from . import qms_focus_group_session
from . import qms_focus_group_participation
from . import qms_communication_rule

from . import qms_management_review
