from .models import ApiToken, RoleGrant


def role_grants(user):
    return RoleGrant.objects.filter(user=user).select_related("agency").order_by("role")


def api_tokens(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")
