"""All tables, importable from one place."""

from db.models.catalog import BoxType, Channel, Product, ProductBarcode
from db.models.fulfilment import (
    PICK_LIST_STATUSES,
    Package,
    PackageItem,
    PackingProgress,
    PickList,
    PickTask,
    PrintJob,
    Shipment,
)
from db.models.intercepts import UNPACK_TASK_STATUSES, UnpackTask
from db.models.inventory import (
    LOCATION_KINDS,
    MOVE_KINDS,
    Location,
    StockLevel,
    StockMove,
    StockReceipt,
    Warehouse,
)
from db.models.orders import (
    ALLOCATION_STATUSES,
    ORDER_STATUSES,
    Allocation,
    Customer,
    Note,
    Order,
    OrderLine,
)
from db.models.people import ROLES, AuditEvent, ScanEvent, Sequence, Setting, User
from db.models.search import OrderSearch, SavedView
from db.models.service import (
    EmailAttachment,
    EmailOutbox,
    Refund,
    Return,
    ReturnLine,
    ReturnReceipt,
    TrackingEvent,
)
from db.models.shipping import TRACKING_SCHEMES, Carrier, CarrierService, Station

__all__ = [
    "ALLOCATION_STATUSES",
    "LOCATION_KINDS",
    "MOVE_KINDS",
    "ORDER_STATUSES",
    "PICK_LIST_STATUSES",
    "ROLES",
    "TRACKING_SCHEMES",
    "UNPACK_TASK_STATUSES",
    "Allocation",
    "AuditEvent",
    "BoxType",
    "Carrier",
    "CarrierService",
    "Channel",
    "Customer",
    "EmailAttachment",
    "EmailOutbox",
    "Location",
    "Note",
    "Order",
    "OrderLine",
    "OrderSearch",
    "Package",
    "PackageItem",
    "PackingProgress",
    "PickList",
    "PickTask",
    "PrintJob",
    "Product",
    "ProductBarcode",
    "Refund",
    "Return",
    "ReturnLine",
    "ReturnReceipt",
    "SavedView",
    "ScanEvent",
    "Sequence",
    "Setting",
    "Shipment",
    "Station",
    "StockLevel",
    "StockMove",
    "StockReceipt",
    "TrackingEvent",
    "UnpackTask",
    "User",
    "Warehouse",
]
