"""The parameter panel's text field (a scheduler address): typed, checked, sent when done."""

from __future__ import annotations

import pytest

from desktop.views.param_panel import FloatEditor, ParamPanel, TextEditor
from scenarios.lessons import catalogue
from scenarios.model.params import ParamError

CLUSTER = catalogue.get("cluster_map")


@pytest.fixture
def panel(qtbot) -> ParamPanel:
    panel = ParamPanel()
    qtbot.addWidget(panel)
    panel.show_lesson(CLUSTER)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def field(panel: ParamPanel) -> TextEditor:
    editor = panel._editors["scheduler"]  # noqa: SLF001 - the test looks at the widget itself
    assert isinstance(editor, TextEditor)
    return editor


def test_the_address_reads_and_writes_stripped(panel: ParamPanel) -> None:
    assert panel.values()["scheduler"] == ""
    assert field(panel).placeholderText() == "local cluster"  # what empty means
    assert "tcp://HOST:PORT" in field(panel).toolTip()
    panel.set_values({"scheduler": " tcp://10.0.0.5:8786 "})
    assert field(panel).text() == "tcp://10.0.0.5:8786"
    assert panel.values()["scheduler"] == "tcp://10.0.0.5:8786"


def test_a_bad_address_is_outlined_and_refused_by_name(panel: ParamPanel) -> None:
    field(panel).setText("tcp://no-port")
    assert "border" in field(panel).styleSheet()
    assert field(panel).toolTip().startswith("Not valid: scheduler must be empty, or a scheduler")
    with pytest.raises(ParamError, match="scheduler must be empty, or a scheduler address"):
        panel.values()
    field(panel).setText("127.0.0.1:8786")
    assert field(panel).styleSheet() == ""
    assert panel.values()["scheduler"] == "127.0.0.1:8786"


def test_a_change_is_sent_once_when_editing_ends(panel: ParamPanel, qtbot) -> None:
    sent = []
    panel.value_changed.connect(lambda name, value: sent.append((name, value)))
    editor = field(panel)
    editor.setFocus()
    qtbot.keyClicks(editor, "localhost:8786")
    assert sent == []  # not per keystroke
    editor.editingFinished.emit()
    editor.editingFinished.emit()  # nothing new: nothing sent
    assert sent == [("scheduler", "localhost:8786")]


@pytest.mark.parametrize("lesson", catalogue.lessons(), ids=lambda lesson: lesson.id)
def test_every_default_is_shown_and_read_back_as_declared(qtbot, lesson) -> None:
    """A panel at its defaults runs the defaults: nothing rounded (no try ticks unasked)."""
    panel = ParamPanel()
    qtbot.addWidget(panel)
    panel.show_lesson(lesson)
    assert panel.values() == lesson.resolve({})


def test_a_wide_float_is_a_spin_box_with_a_sensible_step(qtbot) -> None:
    lesson = catalogue.get("shared_value_array")
    param = lesson.param("value")
    editor = FloatEditor(param)
    qtbot.addWidget(editor)
    editor.setValue(param.default)
    assert editor.value() == 5.67 and editor.spin.text() == "5.67"
    assert not editor.slider.isVisibleTo(editor)
    assert editor.spin.singleStep() == 1.0
    editor.spin.stepUp()
    assert editor.value() == pytest.approx(6.67)


def test_a_narrow_float_keeps_its_slider(qtbot) -> None:
    param = catalogue.get("race_counter").param("race_window")
    editor = FloatEditor(param)
    qtbot.addWidget(editor)
    assert editor.slider.isVisibleTo(editor)
    assert editor.spin.singleStep() == pytest.approx(0.1)
