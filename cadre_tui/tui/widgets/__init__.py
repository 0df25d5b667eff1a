"""Reusable widgets: dialogs, the help screen."""
