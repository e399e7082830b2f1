"""Printer backends: where rendered documents go. All share `Printer.send`."""

from app.printing.base import Printer, PrinterError
from app.printing.cups import CupsPrinter
from app.printing.folder import FolderPrinter
from app.printing.raw_tcp import RawTcpPrinter

__all__ = ["CupsPrinter", "FolderPrinter", "Printer", "PrinterError", "RawTcpPrinter"]
