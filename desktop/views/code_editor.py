"""A small Python editor: Pygments colours, line numbers, auto-indent, an error line marked."""

from __future__ import annotations

import io
import re
import tokenize

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
# A line starting so ends its block: the next line is indented one level less.
BLOCK_END = re.compile(r"(return|pass|break|continue|raise)\b")
# Keys typed with only these held are still plain (Shift+Enter is a line break all the same).
PLAIN = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


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
    """Plain-text Python editing, fixed-width, with line numbers, spaces for tabs, auto-indent."""

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
        """Enter keeps the indentation (one level more after ':'); Tab and Backspace use spaces."""
        key, plain = event.key(), not event.modifiers() & ~PLAIN
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._new_line()
        elif plain and key == Qt.Key.Key_Tab:
            column = self.textCursor().positionInBlock()
            self.insertPlainText(" " * (TAB_SPACES - column % TAB_SPACES))
        elif plain and key == Qt.Key.Key_Backspace and self._indent_before_cursor():
            self._unindent()
        else:
            super().keyPressEvent(event)

    def _new_line(self) -> None:
        """A line break, then as many spaces as the next line's indentation wants."""
        cursor = self.textCursor()
        before = cursor.block().text()[:cursor.positionInBlock()]
        cursor.insertText("\n" + " " * next_indent(before))
        self.ensureCursorVisible()

    def _indent_before_cursor(self) -> bool:
        """True when only spaces (at least one) lie between the line's start and the cursor."""
        cursor = self.textCursor()
        before = cursor.block().text()[:cursor.positionInBlock()]
        return not cursor.hasSelection() and bool(before) and not before.strip(" ")

    def _unindent(self) -> None:
        """Backspace in the indentation: back to the previous 4-space stop."""
        cursor = self.textCursor()
        column = cursor.positionInBlock()
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor,
                            (column - 1) % TAB_SPACES + 1)
        cursor.removeSelectedText()

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


def next_indent(line: str) -> int:
    """How many spaces the line after `line` starts with: its own, one level more after ':'.

    One level less after a line that ends its block (return, pass, break, continue, raise).
    """
    indent = len(line) - len(line.lstrip(" "))
    code = line.strip()
    if _opens_block(code):
        return indent + TAB_SPACES
    if BLOCK_END.match(code):
        return max(0, indent - TAB_SPACES)
    return indent


def _opens_block(code: str) -> bool:
    """True for a line whose code (its comment aside) ends in ':' (if, def, for, with...)."""
    try:
        tokens = [token for token in tokenize.generate_tokens(io.StringIO(code).readline)
                  if token.type not in _NOT_CODE]
    except (tokenize.TokenError, SyntaxError):  # an unfinished line: judged by its text
        return code.endswith(":")
    return bool(tokens) and tokens[-1].string == ":"


_NOT_CODE = (tokenize.COMMENT, tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER,
             tokenize.INDENT, tokenize.DEDENT)
