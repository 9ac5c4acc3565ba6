"""Vietnamese formats where Django's built-in ``vi`` formats fall short.

Django ships dates as ``d-m-Y`` and "Ngày d tháng n năm Y", and no input formats, so a typed
"05/03/2025" would be read with the global US defaults as 3 May. Vietnamese forms and portals
write dd/mm/yyyy (with a 24-hour clock) and weeks start on Monday. The decimal comma and the dot
as thousand separator are right in Django and are repeated here only for clarity.
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '05/03/2025'
    "%d/%m/%y",  # '05/03/25'
    "%d-%m-%Y",  # '05-03-2025'
    "%d.%m.%Y",  # '05.03.2025'
    "%Y-%m-%d",  # '2025-03-05' (ISO, as sent by <input type="date">)
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # '14:30:59'
    "%H:%M:%S.%f",  # '14:30:59.000200'
    "%H:%M",  # '14:30'
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",  # '05/03/2025 14:30:59'
    "%d/%m/%Y %H:%M:%S.%f",  # '05/03/2025 14:30:59.000200'
    "%d/%m/%Y %H:%M",  # '05/03/2025 14:30'
    "%d/%m/%y %H:%M:%S",  # '05/03/25 14:30:59'
    "%d/%m/%y %H:%M",  # '05/03/25 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2025-03-05 14:30:59' (ISO)
    "%Y-%m-%d %H:%M",  # '2025-03-05 14:30'
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
