"""The calendar feed: your events as iCalendar, for calendar apps."""
