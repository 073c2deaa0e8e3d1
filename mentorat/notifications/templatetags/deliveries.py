from django import template

from mentorat.notifications.selectors import DeliverySummary, delivery_summary

register = template.Library()


@register.simple_tag
def email_deliveries(purpose: str, key: str | int) -> DeliverySummary:
    """`{% email_deliveries "imports.invitation" batch.pk as deliveries %}`"""
    return delivery_summary(purpose=purpose, key=key)
