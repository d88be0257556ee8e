from . import qms_recall_campaign
