"""Date formats per language, ahead of Django's own (FORMAT_MODULE_PATH): Indonesian pages write
"2 Desember 2026 23.25", English ones "2 December 2026, 23:25"; the rest is Django's."""
