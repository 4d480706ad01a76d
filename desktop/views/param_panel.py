"""The parameter panel, built from a lesson's typed parameters."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from scenarios.model.lesson import Lesson
from scenarios.model.params import MAX_TEXT_CHARS, Param, ParamError

# Float sliders move in this many steps across their range.
SLIDER_STEPS = 100
# A float whose range is this many times its default (or 1) gets no slider: a slider's step
# would jump over the values that matter (the deck's 5.67 in -1,000,000 to 1,000,000).
WIDE_RANGE = 1000
# A spin box shows at most this many decimals.
MAX_DECIMALS = 6


def decimals(*numbers: float) -> int:
    """The decimals that show every one of these numbers exactly (at least 1)."""
    shown = [f"{n:.{MAX_DECIMALS}f}".rstrip("0").partition(".")[2] for n in numbers]
    return max(1, *(len(digits) for digits in shown))


def is_wide(param: Param) -> bool:
    """True for a float whose range is too wide for a slider (no step of its own given)."""
    lo, hi = float(param.minimum or 0.0), float(param.maximum or 1.0)
    return param.step is None and hi - lo > WIDE_RANGE * max(abs(param.default), 1.0)


def spin_step(param: Param) -> float:
    """The arrow keys' step: the parameter's own, else a slider step, else the default's scale."""
    lo, hi = float(param.minimum or 0.0), float(param.maximum or 1.0)
    if param.step:
        return param.step
    if not is_wide(param):
        return (hi - lo) / SLIDER_STEPS
    return 10.0 ** math.floor(math.log10(abs(param.default))) if param.default else 1.0


def _tooltip(param: Param) -> str:
    live = "Live: can be changed while the lesson runs." if param.live else (
        "Takes effect at the next run.")
    return f"{param.help}\nAllowed: {param.describe_range()}.\n{live}"


class FloatEditor(QWidget):
    """A slider and a spin box that show one float value together."""

    valueChanged = Signal(float)  # noqa: N815 - Qt naming, like QDoubleSpinBox

    def __init__(self, param: Param) -> None:
        super().__init__()
        lo, hi = float(param.minimum or 0.0), float(param.maximum or 1.0)
        self.spin = QDoubleSpinBox()
        step = spin_step(param)
        self.spin.setDecimals(decimals(step, param.default))
        self.spin.setRange(lo, hi)
        self.spin.setSingleStep(step)
        self.spin.setSuffix(f" {param.unit}" if param.unit else "")
        self.spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self._lo, self._hi = lo, hi
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin, 0 if not is_wide(param) else 1)
        self.slider.setVisible(not is_wide(param))
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)

    def _from_slider(self, position: int) -> None:
        self.spin.setValue(self._lo + (self._hi - self._lo) * position / SLIDER_STEPS)

    def _from_spin(self, value: float) -> None:
        span = self._hi - self._lo or 1.0
        self.slider.blockSignals(True)
        self.slider.setValue(round((value - self._lo) / span * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self.valueChanged.emit(value)

    def value(self) -> float:
        """The current value."""
        return self.spin.value()

    def setValue(self, value: float) -> None:  # noqa: N802 - Qt naming
        """Show a value."""
        self.spin.setValue(value)
        self._from_spin(self.spin.value())


class TextEditor(QLineEdit):
    """A line of text (an address): its value goes out when editing ends, not per keystroke.

    While what is typed is not of the parameter's shape, the field is outlined in red and its
    tooltip says what it takes; Run then names the problem (ParamPanel.values raises).
    """

    valueChanged = Signal(str)  # noqa: N815 - Qt naming, like the spin boxes

    def __init__(self, param: Param) -> None:
        super().__init__()
        self._param = param
        self._sent = param.default
        # a lesson may name what empty means in a few words; else the shape, in full
        self.setPlaceholderText(param.extra.get("placeholder") or param.describe_range())
        self.setClearButtonEnabled(True)
        self.setMaxLength(MAX_TEXT_CHARS + 50)  # room to see it is too long, and say so
        self.textChanged.connect(self._show_validity)
        self.editingFinished.connect(self._send)

    def value(self) -> str:
        """The text as typed (validated by the lesson)."""
        return self.text()

    def setValue(self, value: str) -> None:  # noqa: N802 - Qt naming
        """Show a value."""
        self._sent = value
        self.setText(value)

    def _send(self) -> None:
        if self.text() != self._sent:
            self._sent = self.text()
            self.valueChanged.emit(self._sent)

    def _show_validity(self, text: str) -> None:
        try:
            self._param.validate(text)
            valid = True
        except ParamError:
            valid = False
        self.setStyleSheet("" if valid else "QLineEdit { border: 2px solid #d0342c; }")
        self.setToolTip(_tooltip(self._param) if valid else
                        f"Not valid: {self._param.name} must be {self._param.describe_range()}."
                        f"\n{_tooltip(self._param)}")


def make_editor(param: Param) -> QWidget:
    """The widget that edits one parameter; it cannot hold a value outside the range."""
    if param.kind == "bool":
        editor: QWidget = QCheckBox()
    elif param.kind == "choice":
        editor = QComboBox()
        editor.addItems(list(param.choices))
    elif param.kind == "text":
        editor = TextEditor(param)
    elif param.kind == "int":
        editor = QSpinBox()
        editor.setRange(int(param.minimum), int(param.maximum))
        editor.setGroupSeparatorShown(True)
        editor.setSuffix(f" {param.unit}" if param.unit else "")
        editor.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    else:
        editor = FloatEditor(param)
    editor.setToolTip(_tooltip(param))
    return editor


def read(editor: QWidget) -> Any:
    """The value an editor holds."""
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        return editor.currentText()
    return editor.value()


def write(editor: QWidget, value: Any) -> None:
    """Show a value in an editor."""
    if isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QComboBox):
        editor.setCurrentText(str(value))
    else:
        editor.setValue(value)


def changed_signal(editor: QWidget) -> Any:
    """The signal an editor emits when its value changes."""
    if isinstance(editor, QCheckBox):
        return editor.toggled
    if isinstance(editor, QComboBox):
        return editor.currentTextChanged
    return editor.valueChanged


class ParamPanel(QWidget):
    """A form of the lesson's parameters; live ones stay editable during a run."""

    value_changed = Signal(str, object)

    def __init__(self) -> None:
        super().__init__()
        self._lesson: Lesson | None = None
        self._editors: dict[str, QWidget] = {}
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # a field too wide beside its label (large text, a projector) goes under it, never cut
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._reset = QPushButton("Reset to defaults")
        self._reset.setToolTip("Put every parameter back to its default value.")
        self._reset.clicked.connect(self.reset)
        title = QLabel("<b>Parameters</b>")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(title)
        layout.addLayout(self._form)
        layout.addWidget(self._reset)
        layout.addStretch(1)

    def show_lesson(self, lesson: Lesson) -> None:
        """Build the form for this lesson's parameters, at their defaults."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self._lesson = lesson
        self._editors = {}
        for param in lesson.params:
            editor = make_editor(param)
            write(editor, param.default)
            changed_signal(editor).connect(
                lambda value, name=param.name: self.value_changed.emit(name, value))
            label = QLabel(param.title + (" ⚡" if param.live else ""))
            label.setToolTip(_tooltip(param))
            self._form.addRow(label, editor)
            self._editors[param.name] = editor

    def values(self) -> dict[str, Any]:
        """Every parameter's current value, validated."""
        assert self._lesson is not None
        return self._lesson.resolve({name: read(e) for name, e in self._editors.items()})

    def set_values(self, values: dict[str, Any]) -> None:
        """Show validated values (raises ParamError for a bad one, changing nothing)."""
        assert self._lesson is not None
        checked = self._lesson.resolve(values)
        for name in values:
            write(self._editors[name], checked[name])

    def reset(self) -> None:
        """Every parameter back to its default."""
        if self._lesson:
            for param in self._lesson.params:
                write(self._editors[param.name], param.default)

    def set_running(self, running: bool) -> None:
        """While a run goes on, only live parameters can be changed."""
        if not self._lesson:
            return
        for param in self._lesson.params:
            self._editors[param.name].setEnabled(param.live or not running)
        self._reset.setEnabled(not running)
