"""Applications' business actions, one module per sub-domain: `submission` (questions,
answers, submitting and completing an application), `decisions`, `withdrawal`,
`bulk_import` (the import's entry point) and `recruitment` (calls for mentors).

Callers check permissions first (`mentorat.permissions.programs`); these functions
enforce the business rules, write the audit trail and enqueue the emails. Import from
the sub-modules."""
