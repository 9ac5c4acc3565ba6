# django-axes 8.3's models, as axes/models.py declares them.
from datetime import datetime

from django.db import models
from django.db.models.expressions import Combinable

class AccessBase(models.Model):
    user_agent: models.CharField[str | Combinable, str]
    ip_address: models.GenericIPAddressField[str | Combinable | None, str | None]
    username: models.CharField[str | Combinable | None, str | None]
    http_accept: models.CharField[str | Combinable, str]
    path_info: models.CharField[str | Combinable, str]
    attempt_time: models.DateTimeField[datetime | str | Combinable, datetime]

class AccessFailureLog(AccessBase):
    locked_out: models.BooleanField[bool | Combinable, bool]

class AccessAttempt(AccessBase):
    get_data: models.TextField[str | Combinable, str]
    post_data: models.TextField[str | Combinable, str]
    failures_since_start: models.PositiveIntegerField[int | str | Combinable, int]

class AccessLog(AccessBase):
    logout_time: models.DateTimeField[datetime | str | Combinable | None, datetime | None]
    session_hash: models.CharField[str | Combinable, str]
