"""A small Python editor: Pygments colours, line numbers, a line marked for an error."""

from __future__ import annotations

from pygments.lexers import PythonLexer
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from desktop.style import look
from desktop.views.code_view import DARK_STYLE, LIGHT_STYLE

ERROR_LINE = QColor(255, 80, 80, 60)
TAB_SPACES = 4


class PythonHighlighter(QSyntaxHighlighter):
    """Colours each line by Pygments' Python tokens, in the code view's styles."""

    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        super().__init__(document)
        self._lexer = PythonLexer(stripnl=False, ensurenl=False)
        self._formats: dict[_TokenType, QTextCharFormat] = {}
        self._style = get_style_by_name(DARK_STYLE if dark else LIGHT_STYLE)

    def set_dark(self, dark: bool) -> None:
        """Colours for a dark (or light) background; the text is coloured again."""
        self._style = get_style_by_name(DARK_STYLE if dark else LIGHT_STYLE)
        self._formats.clear()
        self.rehighlight()

    def _format(self, token: _TokenType) -> QTextCharFormat:
        known = self._formats.get(token)
        if known is None:
            style = self._style.style_for_token(token)
            known = QTextCharFormat()
            if style["color"]:
                known.setForeground(QColor(f"#{style['color']}"))
            if style["bold"]:
                known.setFontWeight(QFont.Weight.Bold)
            known.setFontItalic(bool(style["italic"]))
            self._formats[token] = known
        return known

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        """Colour one line (a string over several lines is coloured line by line)."""
        for start, token, value in self._lexer.get_tokens_unprocessed(text):
            self.setFormat(start, len(value), self._format(token))


class LineNumbers(QWidget):
    """The editor's margin: a number beside each line."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As wide as the largest number."""
        return QSize(self.editor.margin_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Paint the numbers of the lines in sight."""
        self.editor.paint_numbers(self, event)


class CodeEditor(QPlainTextEdit):
    """Plain-text Python editing, fixed-width, with line numbers and spaces for tabs."""

    def __init__(self) -> None:
        super().__init__()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._font = font
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * TAB_SPACES)
        self.highlighter = PythonHighlighter(self.document(), look.current().dark)
        self.numbers = LineNumbers(self)
        self.blockCountChanged.connect(self._fit_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self._fit_margin()

    def margin_width(self) -> int:
        """Room for the largest line number."""
        digits = len(str(max(1, self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * max(digits, 2)

    def _fit_margin(self, *_: object) -> None:
        self.setViewportMargins(self.margin_width(), 0, 0, 0)

    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self.numbers.scroll(0, dy)
        else:
            self.numbers.update(0, rect.y(), self.numbers.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Keep the margin beside the text."""
        super().resizeEvent(event)
        area = self.contentsRect()
        self.numbers.setGeometry(QRect(area.left(), area.top(), self.margin_width(),
                                       area.height()))

    def paint_numbers(self, widget: QWidget, event: QPaintEvent) -> None:
        """The line numbers of the blocks in sight, right-aligned."""
        painter = QPainter(widget)
        painter.fillRect(event.rect(), self.palette().alternateBase())
        painter.setPen(self.palette().placeholderText().color())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible():
                painter.drawText(0, top, widget.width() - 5, height,
                                 Qt.AlignmentFlag.AlignRight, str(block.blockNumber() + 1))
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        """Tab types spaces, as Python wants."""
        if event.key() == Qt.Key.Key_Tab and not event.modifiers():
            self.insertPlainText(" " * TAB_SPACES)
            return
        super().keyPressEvent(event)

    def mark_line(self, line: int | None) -> None:
        """Mark a line (1-based) as the error's and put the cursor there; None clears it."""
        if line is None:
            self.setExtraSelections([])
            return
        block = self.document().findBlockByNumber(max(0, line - 1))
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(ERROR_LINE)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = QTextCursor(block)
        self.setExtraSelections([selection])
        self.setTextCursor(QTextCursor(block))
        self.centerCursor()

    def apply_look(self) -> None:
        """The font at the current zoom, the colours of the current theme."""
        self.setFont(look.scaled_font(self._font, look.current().scale))
        self.highlighter.set_dark(look.current().dark)
        self._fit_margin()
