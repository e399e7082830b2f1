"""SetupWizard: the first run's short set-up - company, region, labels, boxes, a carrier -
stored together on Finish, every step skippable and editable later under Settings."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget, QWizard

from app.domain.site_settings import SPECS
from app.errors import OmsError, ValidationFailed
from app.services.master_data import MasterData
from app.services.settings import SettingView
from app.services.site_document import SiteImport, import_site
from ui.context import UiContext
from ui.operations import DbOp, show_error
from ui.settings.wizard_pages import BoxesStep, CarrierStep, SettingsStep, StepPage

COMPANY_KEYS = [
    key for key in SPECS if key.startswith(("company.", "return.")) and key != "company.timezone"
]
REGIONAL_KEYS = ("company.timezone", "units.weight", "units.length")
LABEL_KEYS = (
    "gs1.company_prefix",
    "sscc.serial_start",
    "sscc.serial_end",
    "label.size",
    "label.format",
    "label.dpi",
    "order.number_format",
)
SOURCE = "the set-up wizard"
SIZE = (940, 580)  # fits a 1024x600 screen


class SetupWizard(QWizard):
    """Prefilled with the site's current `views`; Finish stores every step not skipped in
    one transaction (or nothing, with the refusal shown on the last step)."""

    def __init__(
        self, ctx: UiContext, views: list[SettingView], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.stored: SiteImport | None = None
        self.setWindowTitle("Set up Shipshape")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setOption(QWizard.WizardOption.HaveCustomButton1)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "&Skip this step")
        self.setButtonLayout(
            [
                QWizard.WizardButton.CustomButton1,
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            ]
        )
        by_key = {view.key: view for view in views}
        self.company_step = SettingsStep(
            "Company and addresses",
            "The sender printed on labels and packing slips, and where returns go "
            "(empty: the sender). * is needed before a station can pack.",
            [by_key[key] for key in COMPANY_KEYS],
            columns=2,
        )
        self.regional_step = SettingsStep(
            "Regional",
            "The warehouse's time zone (for cut-off times and reports) and its units.",
            [by_key[key] for key in REGIONAL_KEYS],
        )
        self.labels_step = SettingsStep(
            "Labels and GS1",
            "Your GS1 company prefix and the serials that number your parcels' SSCCs, the "
            "label your printers take, and how order numbers look.",
            [by_key[key] for key in LABEL_KEYS],
        )
        self.boxes_step = BoxesStep()
        self.carrier_step = CarrierStep()
        self.steps: list[StepPage] = [
            self.company_step,
            self.regional_step,
            self.labels_step,
            self.boxes_step,
            self.carrier_step,
        ]
        for number, step in enumerate(self.steps, 1):
            step.setTitle(f"{step.title()}  ·  step {number} of {len(self.steps)}")
            self.addPage(step)
        self.customButtonClicked.connect(self._on_custom_button_clicked)
        self.resize(*SIZE)

    def skip(self) -> None:
        """Leave the current step as it was and go on (on the last step: finish)."""
        step = self.currentPage()
        assert isinstance(step, StepPage)
        step.skip_requested = True
        if step is self.steps[-1]:
            self.accept()
        else:
            self.next()

    def done(self, result: int) -> None:
        """Finish stores the steps first and closes only once they are stored."""
        if result != QDialog.DialogCode.Accepted or self.stored is not None:
            super().done(result)
            return
        if not self.validateCurrentPage():
            return
        settings: dict[str, str] = {}
        for step in (self.company_step, self.regional_step, self.labels_step):
            if not step.skipped:
                settings.update(step.settings())
        boxes = [] if self.boxes_step.skipped else self.boxes_step.boxes()
        carriers = [] if self.carrier_step.skipped else [self.carrier_step.carrier()]
        if not (settings or boxes or carriers):
            QDialog.done(self, result)
            return
        master = MasterData(boxes, carriers, [])
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        DbOp(
            self, self._ctx, import_site, self._ctx.actor, settings, master, source=SOURCE
        ).success(self._on_stored).failure(self._on_refused).run(initiator=self)

    def _on_stored(self, stored: SiteImport) -> None:
        self.stored = stored
        QDialog.done(self, QDialog.DialogCode.Accepted)

    def _on_refused(self, exc: Exception) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if not isinstance(exc, OmsError):
            show_error(self, exc)
            return
        step = self.currentPage()
        assert isinstance(step, StepPage)
        problems = exc.problems if isinstance(exc, ValidationFailed) else []
        step.problems.show_problems([f"Nothing was stored: {exc}", *problems])

    def _on_custom_button_clicked(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.skip()
