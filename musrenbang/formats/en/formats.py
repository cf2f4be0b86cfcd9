# Day before month, as in the Indonesian pages, with a 24-hour clock: "2 December 2026, 23:25",
# not Django's American default ("Dec. 2, 2026, 11:25 p.m.").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
