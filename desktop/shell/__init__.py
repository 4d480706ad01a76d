"""The window shell: the main window, its menus and panes, and what it remembers."""
