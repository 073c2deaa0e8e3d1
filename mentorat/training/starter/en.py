# ruff: noqa: E501 - prose: sentences and Markdown paragraphs stay on one line each
"""The starter set in English (same modules and keys as `fr.py`)."""

from mentorat.training.starter import StarterModule
from mentorat.training.starter import StarterQuestion as Q

MODULES: tuple[StarterModule, ...] = (
    StarterModule(
        key="mentor-role",
        title="The mentor's role and its limits",
        summary="What a mentor brings, what a mentor does not do, and who to turn to when a question is beyond the role.",
        minutes=15,
        sections=(
            (
                "What a mentor does",
                """
A mentor is an experienced professional who **supports** someone in their project: finding an internship, starting a first job, changing careers. A mentor shares experience, network and an insider's view of the world of work.

In practice, a mentor:

- listens and helps the person clarify what they want;
- asks questions that move things forward rather than handing out solutions;
- shares real examples, mistakes included;
- opens doors when it makes sense (an introduction, advice on a CV, a mock interview).

The mentee remains **the author of their project**: they decide and act.
""",
            ),
            (
                "What a mentor does not do",
                """
Mentoring is not paid coaching, teaching, or social or psychological support. A mentor:

- does not do things for the mentee (you do not write their cover letter, you review it together);
- does not promise an internship or a job;
- is not a therapist, social worker or lawyer;
- does not lend money or mix the relationship with personal favours.

These limits protect both people: they prevent dependence and disappointed expectations.
""",
            ),
            (
                "When and where to refer",
                """
Some situations go beyond the mentor's role: psychological distress, violence, serious money problems, legal questions, health issues.

In those cases:

1. listen without judging, and without promising absolute secrecy;
2. say clearly that this is not your role, but that help exists;
3. **tell the program's coordinator**, who knows where to turn (the school's social services, health services, charities, helplines such as 3114, or 119 for minors, in France).

Referring is not abandoning: you keep supporting the person on their project.
""",
            ),
        ),
        questions=(
            Q(
                text="Your mentee asks you to write her cover letter because she is short of time. What do you do?",
                explanation="A mentor helps the person do things, not do them in their place: review together, ask questions, suggest a structure. She is the one who learns and owns her application.",
                choices=(
                    ("I write it; it's quicker.", False),
                    ("I suggest she drafts it herself, then we review it together.", True),
                    ("I refuse and end the meeting.", False),
                ),
            ),
            Q(
                text="Which of these situations call for telling the program's coordinator?",
                explanation="Distress, violence or serious hardship go beyond the mentor's role: the coordinator knows the right support. Improving a CV is what mentoring is for.",
                choices=(
                    ("The mentee mentions suicidal thoughts.", True),
                    ("The mentee says they suffer violence at home.", True),
                    ("The mentee wants to improve their CV.", False),
                    ("The mentee can no longer pay for housing at the end of the month.", True),
                ),
            ),
            Q(
                text="May a mentor promise an internship in their company to motivate their mentee?",
                explanation="No: a mentor promises neither internship nor job. They can explain the recruitment process and pass on an application where possible, but a broken promise damages trust.",
                choices=(
                    ("Yes, it is a good motivator.", False),
                    ("No; they can explain how to apply, without promising anything.", True),
                ),
            ),
        ),
    ),
    StarterModule(
        key="active-listening",
        title="Active listening and powerful questions",
        summary="Listen to understand, rephrase, and ask the open questions that make people think.",
        minutes=15,
        sections=(
            (
                "Listening to understand",
                """
Active listening means **focusing on what the other person says** rather than on what you will answer. A few pointers:

- leave silences: they let the person go further;
- watch the non-verbal signals too (hesitation, enthusiasm);
- avoid interrupting, judging or bringing the conversation back to yourself;
- on video, mute notifications and look at the camera from time to time.

The aim is not to agree, but for the other person to feel understood.
""",
            ),
            (
                "Rephrase and check",
                """
Rephrasing means saying in your own words what you understood: "If I understand correctly, you are torn between two apprenticeships because…". It lets you:

- check that you understood;
- show that you are listening;
- help the person hear their own thinking.

End with a check: "Is that right?". If the answer is no, that is valuable information.
""",
            ),
            (
                "Powerful questions",
                """
A powerful question is **open** (it cannot be answered with yes or no) and makes the person think rather than steering them to your answer.

Examples:

- "What matters most to you in this choice?"
- "If you weren't afraid of failing, what would you do?"
- "What small step could you take before our next meeting?"
- "What have you already tried? What did you learn from it?"

Avoid questions that contain the answer ("Don't you think you should…?") and repeated "why"s, which can sound like blame.
""",
            ),
        ),
        questions=(
            Q(
                text="Which of these is an open question?",
                explanation='An open question invites the person to elaborate. "Do you want this internship?" calls for yes or no; "Don\'t you think…" already suggests the answer.',
                choices=(
                    ("Do you want this internship?", False),
                    ("What attracts you to this internship?", True),
                    ("Don't you think this internship would be better?", False),
                ),
            ),
            Q(
                text="What is rephrasing for?",
                explanation="Rephrasing checks understanding, shows you are listening and helps the other person clarify their thinking. It is not the moment to slip in your opinion.",
                choices=(
                    ("Checking that I understood.", True),
                    ("Showing the person I am listening.", True),
                    ("Slipping in my opinion unnoticed.", False),
                    ("Helping the person clarify their thinking.", True),
                ),
            ),
            Q(
                text="Your mentee stays silent after a question. What do you do?",
                explanation="Silence is often thinking time. Waiting a few seconds gives the person room to find their answer.",
                choices=(
                    ("Rephrase the question straight away.", False),
                    ("Let the silence last a few seconds.", True),
                    ("Give the answer to put them at ease.", False),
                ),
            ),
        ),
    ),
    StarterModule(
        key="feedback",
        title="Giving useful feedback",
        summary="Specific, kind, action-oriented feedback, and how to receive it.",
        minutes=12,
        sections=(
            (
                "Why good feedback matters",
                """
A mentee progresses when they know what works and what can improve. Useful feedback is:

- **specific**: about an observable fact, not about the person;
- **timely**: given soon after the situation;
- **balanced**: it recognises what works;
- **action-oriented**: it opens a concrete way forward.

Always ask first: "Would you like my feedback on your mock interview?"
""",
            ),
            (
                "A simple method: Fact, Effect, Next step",
                """
1. **Fact**: "In the mock interview, you answered the question about your weaknesses in two words."
2. **Effect**: "So the recruiter could not see your ability to step back."
3. **Next step**: "You could name a real weakness and what you do to work on it. Want to try?"

Avoid sweeping judgements ("you are too shy"): they hurt without helping. Speak with "I" ("I noticed") rather than "you are".
""",
            ),
            (
                "Receiving feedback",
                """
Mentoring works both ways: ask your mentee, too, what helps in your meetings and what could change.

When you receive feedback: listen to the end, say thank you, ask a question to understand, and then decide what to do with it. Setting the example is the best way to teach your mentee to receive feedback.
""",
            ),
        ),
        questions=(
            Q(
                text="Which of these pieces of feedback is the most useful?",
                explanation='Useful feedback describes a specific fact, its effect, and suggests a next step. "You are hopeless at interviews" judges the person; "That was good" does not say what to keep.',
                choices=(
                    ('"You are hopeless at interviews."', False),
                    ('"That was good, keep going."', False),
                    (
                        '"Your introduction lasted five minutes; cutting it to two would leave more room for questions."',
                        True,
                    ),
                ),
            ),
            Q(
                text="What should you do before giving feedback?",
                explanation="Asking whether the person wants feedback makes them an actor and more receptive.",
                choices=(
                    ("Ask whether the person wants feedback.", True),
                    ("Wait until the end of the mentorship to say everything at once.", False),
                ),
            ),
            Q(
                text="What are the three steps of the method presented?",
                explanation="Fact, Effect, Next step: describe what happened, its impact, then a concrete improvement.",
                choices=(
                    ("Fact, Effect, Next step", True),
                    ("Criticism, Advice, Conclusion", False),
                    ("Praise, Criticism, Praise", False),
                ),
            ),
        ),
    ),
    StarterModule(
        key="goals",
        title="Setting goals with a mentee",
        summary="Turn a wish into concrete, measurable goals, followed up in the pair's workspace.",
        minutes=15,
        sections=(
            (
                "Start from the mentee's project",
                """
In the first meetings, help your mentee say what they want from mentoring: "Six months from now, what will have changed for you?".

The goals are **theirs**, not yours. If the wish is vague ("find my path"), start with an exploration goal: meet three professionals in a field, visit a careers fair, do a work-shadowing day.
""",
            ),
            (
                "SMART goals",
                """
A good goal is **S**pecific, **M**easurable, **A**chievable, **R**ealistic and **T**ime-bound.

- Vague: "Improve my CV."
- SMART: "Have a one-page CV reviewed by two recruiters by 15 March."

In Mentorat, each goal of a pair has a **measure of success** and a **due date**: fill them in together in the Goals tab of the pair's workspace. The program also offers goal templates to adopt in one click.
""",
            ),
            (
                "Follow up and adjust",
                """
Take stock at every meeting: what moved forward, what is stuck, what is the next small step?

A goal is not a contract: it can be changed, split or dropped if it no longer fits the project. Celebrate successes, even small ones: they feed motivation.
""",
            ),
        ),
        questions=(
            Q(
                text="Which of these goals is SMART?",
                explanation="It is specific (apprenticeship applications), measurable (five sent), realistic and dated (end of April).",
                choices=(
                    ("Find my path.", False),
                    ("Send five apprenticeship applications by the end of April.", True),
                    ("Be more confident.", False),
                ),
            ),
            Q(
                text="Whose goals are the pair's goals?",
                explanation="Goals come from the mentee's project; the mentor helps to word them and follow them up.",
                choices=(
                    ("The mentee's, helped by their mentor.", True),
                    ("The mentor's, who knows what is good for the mentee.", False),
                    ("The school's, which imposes them.", False),
                ),
            ),
            Q(
                text="A goal no longer fits the mentee's project. What do you do?",
                explanation="A goal can be adjusted or dropped: it serves the project, not the other way round.",
                choices=(
                    ("Keep it no matter what.", False),
                    ("Talk it over and change or drop it.", True),
                ),
            ),
        ),
    ),
    StarterModule(
        key="conflict-closure",
        title="Managing conflict and ending a relationship well",
        summary="Defuse tension, say things clearly, and close the mentorship on a positive note.",
        minutes=15,
        sections=(
            (
                "The most common tensions",
                """
Missed meetings, unanswered messages, different expectations ("I thought you would find me an internship"): most difficulties come from a **misunderstanding about the framework**, not from a personal problem.

Go back to the framework set at the start: how often you meet, how you contact each other, the goals. The program's charter is a good anchor.
""",
            ),
            (
                "Raising a disagreement",
                """
1. Pick a calm moment, ideally face to face.
2. Describe the facts without blaming: "Our last three meetings were cancelled."
3. Say how it affects you and ask for their view: "I wonder whether the pace suits you. What do you think?"
4. Look for a solution together and write it down.

If things do not improve, or if you feel uncomfortable, **talk to the coordinator**: helping is their role, including proposing another pairing.
""",
            ),
            (
                "Ending well",
                """
Every mentoring relationship ends, planned or not. A good closure:

- reviews the goals: what was achieved, what remains;
- values the mentee's progress;
- says clearly what happens next (staying in touch or not, and how);
- ends with mutual thanks.

In Mentorat, close the pair from its workspace and give the reason: it helps the program improve.
""",
            ),
        ),
        questions=(
            Q(
                text="Where do tensions in a pair most often come from?",
                explanation="Most difficulties come from expectations or a framework that were not shared. Going back to the initial framework helps solve them.",
                choices=(
                    ("A misunderstanding about the framework and expectations.", True),
                    ("A clash of personalities that cannot be overcome.", False),
                ),
            ),
            Q(
                text="How do you open the conversation after several cancelled meetings?",
                explanation="Describing the facts without blaming and asking for the other's view opens the dialogue; reproach or silence closes it.",
                choices=(
                    ('"You are really not serious."', False),
                    ('"Our last meetings were cancelled; does the pace suit you?"', True),
                    ("Say nothing and meet less often.", False),
                ),
            ),
            Q(
                text="What does a good closure include?",
                explanation="Review, recognition, a clear next step and thanks: ending a mentorship is part of the support.",
                choices=(
                    ("A review of the goals.", True),
                    ("What happens next (keeping in touch or not).", True),
                    ("Mutual thanks.", True),
                    ("A mark out of 20 for the mentee.", False),
                ),
            ),
        ),
    ),
    StarterModule(
        key="safeguarding-minors",
        title="Mentoring a minor: safeguarding basics",
        summary="The rules that protect young mentees and their mentors, and what to do when you are worried.",
        minutes=20,
        sections=(
            (
                "A framework that protects everyone",
                """
Mentoring a pupil under 18 (for instance in a vocational high school) is a particular responsibility. The program's rules protect the young person **and** the mentor:

- conversations go **through the platform** (messages, meetings), not social networks or a personal phone number;
- meetings take place in public places or at the school, or on video as the program allows;
- the legal guardians have given their consent and know the framework.
""",
            ),
            (
                "Good habits",
                """
- Never be alone with the young person in a private place (a home, a car).
- No personal gifts, money, or photos of the young person.
- Keep a professional tone, in messages too.
- Do not ask the young person to keep a secret, and do not promise to keep theirs.
- When unsure what is allowed, ask the coordinator **beforehand**.
""",
            ),
            (
                "If a young person tells you something worrying",
                """
A young person may tell you they are in danger (violence, bullying, distress).

1. **Listen calmly**, without intrusive questions and without doubting what they say.
2. Tell them you cannot keep this to yourself and that you will find help for them.
3. **Tell the program's coordinator without delay**, or report the message from the platform.
4. If there is immediate danger, call the police (**17** in France); **119** (child protection helpline in France) answers day and night.

You do not have to investigate or prove anything: your role is to pass it on.
""",
            ),
        ),
        questions=(
            Q(
                text="Your 16-year-old mentee suggests chatting on a social network. What do you answer?",
                explanation="With a minor, conversations stay on the platform: it is the program's rule, and it protects both people.",
                choices=(
                    ("Sure, it's more convenient.", False),
                    ("I explain that we stay on the platform's messages.", True),
                ),
            ),
            Q(
                text="A girl tells you she suffers violence and asks you not to tell anyone. What do you do?",
                explanation="Never promise secrecy when someone is in danger: listen, explain you will seek help, and tell the coordinator (or call 119 / 17 in an emergency).",
                choices=(
                    ("I promise to keep the secret to keep her trust.", False),
                    (
                        "I listen, tell her I must talk about it to help her, and tell the coordinator.",
                        True,
                    ),
                    ("I investigate with her family myself.", False),
                ),
            ),
            Q(
                text="Which of these places are suitable to meet a mentee who is a minor?",
                explanation="Public places and the school are suitable; a private place, where the adult is alone with the young person, is not.",
                choices=(
                    ("The school library or a room at the school.", True),
                    ("A café or a public library.", True),
                    ("The mentor's home.", False),
                    ("The mentor's car.", False),
                ),
            ),
        ),
    ),
    StarterModule(
        key="avoiding-bias",
        title="Avoiding bias: gender stereotypes in career choices",
        summary="Spot the stereotypes that narrow career choices, and widen the range of options.",
        minutes=15,
        sections=(
            (
                "Choices that are still highly gendered",
                """
In France, girls remain a small minority in digital and industrial courses, and boys in care and social work. These gaps do not come from ability but largely from **stereotypes**: what we imagine is "right for" a boy or a girl.

Through remarks and examples, a mentor can reinforce these stereotypes… or help overcome them.
""",
            ),
            (
                "Spotting your own biases",
                """
We all have unconscious biases. A few signs:

- spontaneously suggesting different jobs depending on the person's gender;
- showing surprise ("You, in construction?");
- praising a girl for being hard-working and a boy for being talented;
- only citing male role models for a technical job.

Ask yourself: "Would I have said the same thing to someone of another gender?"
""",
            ),
            (
                "Widening the range of options",
                """
- Start from the person's **interests and skills**, not from the "usual" jobs.
- Show varied role models: women engineers, men working as nurses or early-years educators.
- Suggest work-shadowing, meetings or open days in jobs the person had not thought of.
- If they tell you about sexist remarks during an internship, listen and refer them to the coordinator.

The aim is not to impose a "non-traditional" choice, but for every choice to be **free and informed**.
""",
            ),
        ),
        questions=(
            Q(
                text="Where do the gaps between girls and boys in career choices mainly come from?",
                explanation="Abilities do not differ; stereotypes and surroundings are what steer girls and boys differently.",
                choices=(
                    ("Natural differences in ability.", False),
                    ("Largely stereotypes and surroundings.", True),
                ),
            ),
            Q(
                text="Which of these reactions show a bias?",
                explanation="Being surprised at a girl choosing construction, or suggesting jobs by gender, are biases. Asking what the person likes is not.",
                choices=(
                    ('"You, in construction? Are you sure?"', True),
                    (
                        "Suggesting office work to a girl and maintenance to a boy with the same profile.",
                        True,
                    ),
                    ('"What do you like about this job?"', False),
                ),
            ),
            Q(
                text="What is the aim of this approach?",
                explanation="It is not about imposing a choice, but about each person choosing freely, knowing all the options.",
                choices=(
                    ("Push every young person towards a non-traditional job.", False),
                    ("Make every choice free and informed.", True),
                ),
            ),
        ),
    ),
)
