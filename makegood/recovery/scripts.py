"""The prompts of the guided screen: defaults here, overridden per language by administrators."""

from __future__ import annotations

from makegood.recovery.models import ScriptPrompt, StepKind

DEFAULT_PROMPTS: dict[str, str] = {
    StepKind.LISTEN: (
        "Let the customer tell the whole story without interrupting. Write it in their words. "
        "Ask open questions, then: \u201cWhat would make this right for you?\u201d"
    ),
    StepKind.REPEAT_BACK: (
        "Say back what you heard, in your own words: \u201cSo if I understand you correctly\u2026\u201d "
        "Ask whether you got it right. If not, listen again."
    ),
    StepKind.APOLOGIZE: (
        "Apologize sincerely, for their experience: \u201cI am so sorry this happened.\u201d "
        "No excuses and no explanation unless they asked for one."
    ),
    StepKind.EMPATHY: (
        "Name the feeling you hear: \u201cI can hear how frustrating this has been.\u201d "
        "Check the feeling Makegood detected and change it if it is wrong."
    ),
    StepKind.SOLVE: (
        "Agree on the next step that the customer accepts as putting this right. "
        "Restore what was promised, then add something extra if you can."
    ),
    StepKind.THANK: (
        "Thank the customer for telling you: they gave you the chance to fix it. "
        "Ask: \u201cIs there anything we could do better?\u201d"
    ),
}


def script_prompts(language: str = "en") -> dict[str, str]:
    """Every step's prompt for a language: the administrator's text where there is one, else the default."""
    prompts = dict(DEFAULT_PROMPTS)
    for step, prompt in ScriptPrompt.objects.filter(language=language).values_list("step", "prompt"):
        prompts[step] = prompt
    return prompts
