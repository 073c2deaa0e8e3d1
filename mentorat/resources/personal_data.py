"""Personal data of the resource library (see `mentorat.lib.personal_data`): who added
each resource and template, and which pair adopted a template and who clicked. The
resources and templates themselves are the program's material, written by its staff
for every pair, not about anyone."""

from mentorat.lib.personal_data import Basis, ModelData, Purpose, link

BASIS = Basis.LEGITIMATE_INTEREST
_MATERIAL = {
    "title": "the title of the program's material, the same for every pair",
    "description": "the program's material, the same for every pair",
}

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="resources.LibraryResource",
        subjects=("created_by",),
        fields={"created_by": link("created_by", purpose=Purpose.FOLLOW_UP, basis=BASIS)},
        not_personal={
            **_MATERIAL,
            "url": "a link to a public guide or tool",
            "file": "a guide or kit of the program, the same for every pair",
            "file_name": "the name of the program's file",
            "content_type": "the file's type, such as application/pdf",
        },
    ),
    ModelData(
        model="resources.GoalTemplate",
        subjects=("created_by",),
        fields={"created_by": link("created_by", purpose=Purpose.FOLLOW_UP, basis=BASIS)},
        not_personal={**_MATERIAL, "measure": "the suggested measure, the same for every pair"},
    ),
    ModelData(
        model="resources.GoalAdoption",
        subjects=("mentorship__mentor_application__user", "mentorship__mentee_application__user"),
        fields={"adopted_by": link("adopted_by", purpose=Purpose.FOLLOW_UP, basis=BASIS)},
    ),
)
