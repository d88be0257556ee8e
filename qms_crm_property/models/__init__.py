from . import qms_management_review
from . import qms_personal_data_category
from . import qms_property
from . import qms_property_incident
from . import res_partner
