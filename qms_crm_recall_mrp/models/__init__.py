from . import mrp_production
from . import stock_lot
