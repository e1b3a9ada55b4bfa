import factory

from cte_portal.users.models import User

DEFAULT_PASSWORD = "mot-de-passe-de-test-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@example.gouv.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    organisation = "DDETS du Rhône"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    class Params:
        admin = factory.Trait(is_superuser=True, is_staff=True, organisation="DGEFP")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
