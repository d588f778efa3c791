"""The login backend: Django's `ModelBackend`, reading a signed-in user's profile (role,
committee, administration) in the same query as the user.

Every page asks the user's role (navigation, permissions, "Venter på mig"), so without
this each request read ``committees_profile`` in a query of its own after the session
and the user (issue 13: the proposal page's queries).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileBackend(ModelBackend):
    """`ModelBackend` whose `get_user` joins the profile (``user.profile`` is then read
    without a query; a user without one raises ``Profile.DoesNotExist`` as before)."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("profile")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
