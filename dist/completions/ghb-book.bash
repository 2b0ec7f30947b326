# bash completion for ghb-book                                      -*- shell-script -*-
_ghb_book() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" w
    for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        case $w in pdf | epub | all | check | new | watch) cmd=$w; break ;; esac
    done
    case $prev in
    --book | --out)
        COMPREPLY=($(compgen -d -- "$cur"))
        return ;;
    --lang)
        COMPREPLY=($(compgen -W "zh-CN en" -- "$cur"))
        return ;;
    --title | --author)
        return ;;
    esac
    local opts
    case $cmd in
    "") opts="pdf epub all check new watch --book --out --quiet --strict --offline --press --embed-fonts --help --version" ;;
    new) opts="--title --author --lang" ;;
    watch) opts="pdf epub all --book --out --quiet --strict --offline" ;;
    *) opts="--book --out --quiet --strict --offline --press --embed-fonts" ;;
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    if [ "$cmd" = new ] && [[ $cur != -* ]]; then
        COMPREPLY+=($(compgen -d -- "$cur"))
    fi
}
complete -F _ghb_book ghb-book
