"""The English interface writes numbers the Danish way, as the Danish one does: the product's
figures are Danish kroner, and "1,717" beside "16,5 mio. kr." reads as two kinds of number.
(Django's ``intcomma``, ``floatformat`` and ``localize`` read these; the amounts' own
filters are in core/templatetags/dk.py.) Dates keep their English words and day without a
dot: "13 May 2009" (``dkdate`` there; these are the formats Django's ``date`` filter names)."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
