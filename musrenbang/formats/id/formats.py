# Month names in full, and the time with a point, as Indonesian officials write them. Django's
# own ("2 Des. 2026, 23.25") abbreviates the month.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
